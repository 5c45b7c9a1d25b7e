namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// An HTTP error the server answers with instead of a response: the status, and an error body in the provider's
/// documented format built from <see cref="Code"/> and <see cref="Message"/>.
/// </summary>
/// <param name="Status">The HTTP status code, for example 400, 401, 429 or 500.</param>
/// <param name="Code">The provider's error code or type, for example <c>invalid_request_error</c>.</param>
/// <param name="Message">The human-readable message.</param>
/// <param name="RetryAfter">Sent as the <c>Retry-After</c> header (whole seconds) when set.</param>
public sealed record ScriptedError(int Status, string Code, string Message, TimeSpan? RetryAfter = null);
