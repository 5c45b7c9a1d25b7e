using System.Globalization;
using System.Net;
using System.Text;

namespace AiAllin.SK.Connectors.Core;

/// <summary>
/// The single failure type of every AiAllin.SK connector: an HTTP error response, a transport failure or an error
/// reported inside a stream. It carries what a retry policy needs (<see cref="IsTransient"/>, <see cref="RetryAfter"/>)
/// and what a person needs (<see cref="StatusCode"/>, <see cref="ErrorCode"/>, <see cref="ProviderMessage"/>).
/// </summary>
/// <remarks>Messages and <see cref="ToString"/> are passed through <see cref="SecretRedactor"/>; an API key never appears in them.</remarks>
public class ProviderException : Exception
{
    private const string UnknownProvider = "unknown";

    // The body is only read for a message; a provider that returns megabytes on error gets cut here.
    private const int MaxErrorBodyBytes = 64 * 1024;

    private const int MaxProviderMessageLength = 1000;

    private const string RequestFailed = "request failed";

    private static readonly HashSet<string> TransientErrorCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "overloaded_error", "rate_limit_error", "api_error",          // Anthropic
        "rate_limit_exceeded", "server_error", "engine_overloaded",   // OpenAI
        "RESOURCE_EXHAUSTED", "UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED", // Gemini
        "Overloaded",                                                  // TEI
    };

    // Over-quota and billing answers arrive as 429 but waiting does not help.
    private static readonly HashSet<string> PermanentErrorCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "insufficient_quota", "billing_hard_limit_reached", "billing_not_active",
    };

    /// <summary>Creates an exception with a default message.</summary>
    public ProviderException()
        : this("The AI provider request failed.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message; it is redacted.</param>
    public ProviderException(string message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message; it is redacted.</param>
    /// <param name="innerException">The cause.</param>
    public ProviderException(string message, Exception? innerException)
        : base(SecretRedactor.Redact(message), innerException)
    {
        Provider = UnknownProvider;
    }

    /// <summary>Creates an exception describing a provider failure; the message is composed from the parts.</summary>
    /// <param name="provider">The provider name, for example "OpenAI".</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> for transport or in-stream failures.</param>
    /// <param name="errorCode">The provider's error code or type.</param>
    /// <param name="providerMessage">The provider's own message; it is redacted.</param>
    /// <param name="retryAfter">The delay the provider asked for.</param>
    /// <param name="isTransient">Whether retrying may succeed; <see langword="null"/> classifies from status and code.</param>
    /// <param name="innerException">The cause.</param>
    public ProviderException(
        string provider,
        HttpStatusCode? statusCode,
        string? errorCode,
        string? providerMessage,
        TimeSpan? retryAfter = null,
        bool? isTransient = null,
        Exception? innerException = null)
        : this(provider, RequestFailed, statusCode, errorCode, providerMessage is null ? null : SecretRedactor.RedactAndTruncate(providerMessage, MaxProviderMessageLength), retryAfter, isTransient, innerException, secret: null)
    {
    }

    /// <summary>Creates an exception for a subclass that composes its own message.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="message">The message; it is redacted.</param>
    /// <param name="innerException">The cause.</param>
    protected ProviderException(string provider, string message, Exception? innerException)
        : base(SecretRedactor.Redact(message), innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        Provider = provider;
    }

    private ProviderException(
        string provider,
        string headline,
        HttpStatusCode? statusCode,
        string? errorCode,
        string? redactedProviderMessage,
        TimeSpan? retryAfter,
        bool? isTransient,
        Exception? innerException,
        string? secret)
        : base(SecretRedactor.Redact(ComposeMessage(provider, headline, statusCode, errorCode, redactedProviderMessage, retryAfter), secret), innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        Provider = provider;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ProviderMessage = redactedProviderMessage;
        RetryAfter = retryAfter;
        IsTransient = isTransient ?? Classify(statusCode, errorCode, retryAfter);
    }

    /// <summary>Gets the provider name, for example "Gemini".</summary>
    public string Provider { get; }

    /// <summary>Gets the HTTP status code, or <see langword="null"/> when the failure happened before a response or inside a stream.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the provider's error code or type (OpenAI <c>code</c>/<c>type</c>, Anthropic <c>error.type</c>, Gemini <c>status</c>).</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the provider's own error message (redacted and shortened), or the raw body when it had no known shape.</summary>
    public string? ProviderMessage { get; }

    /// <summary>Gets the delay the provider asked for before retrying, if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets whether the same request may succeed later: throttling, overload, gateway and network failures.</summary>
    public bool IsTransient { get; }

    /// <summary>Gets the provider's request id (<c>x-request-id</c> or <c>request-id</c>), useful when contacting support.</summary>
    public string? RequestId { get; private init; }

    /// <summary>
    /// Returns whether an HTTP status means "try again later" on its own: 408, 425, 429, 500, 502, 503, 504 and 529
    /// (Anthropic's "overloaded"). 409 is transient only when the provider asks for a retry.
    /// </summary>
    /// <param name="statusCode">The status to classify.</param>
    /// <returns><see langword="true"/> when the status is transient.</returns>
    public static bool IsTransientStatusCode(HttpStatusCode statusCode) => (int)statusCode is 408 or 425 or 429 or 500 or 502 or 503 or 504 or 529;

    /// <summary>Reads a failed response (status, documented error body, retry headers) into an exception.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="response">The failed response; it is not disposed.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    /// <returns>The exception to throw.</returns>
    public static Task<ProviderException> FromResponseAsync(string provider, HttpResponseMessage response, CancellationToken cancellationToken = default)
        => FromResponseAsync(provider, response, apiKey: null, timeProvider: null, cancellationToken);

    /// <summary>Reads a failed response (status, documented error body, retry headers) into an exception.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="response">The failed response; it is not disposed.</param>
    /// <param name="apiKey">The key used for the request, redacted wherever the provider echoes it.</param>
    /// <param name="timeProvider">The clock for HTTP-date <c>Retry-After</c> values; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    /// <returns>The exception to throw.</returns>
    public static async Task<ProviderException> FromResponseAsync(
        string provider,
        HttpResponseMessage response,
        string? apiKey,
        TimeProvider? timeProvider,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(response);

        var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        var error = ProviderErrorBody.Parse(body);
        var retryAfter = RetryAfterHeaders.Read(response.Headers, timeProvider ?? TimeProvider.System) ?? error.RetryDelay;
        var message = SecretRedactor.RedactAndTruncate(error.Message, MaxProviderMessageLength, apiKey);
        if (message.Length == 0)
        {
            message = response.ReasonPhrase ?? string.Empty;
        }

        return new ProviderException(provider, RequestFailed, response.StatusCode, error.ErrorCode, message, retryAfter, ShouldRetryHeader(response), innerException: null, apiKey)
        {
            RequestId = FirstHeader(response, "x-request-id") ?? FirstHeader(response, "request-id"),
        };
    }

    /// <summary>
    /// Wraps a failure that happened before or while reading a response (connection refused, reset, TLS, timeout)
    /// as a transient <see cref="ProviderException"/>. Do not call it for cancellation the caller asked for.
    /// </summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="exception">The transport failure.</param>
    /// <param name="apiKey">The key used for the request, redacted if the failure text contains it.</param>
    /// <returns>The exception to throw.</returns>
    public static ProviderException FromTransportFailure(string provider, Exception exception, string? apiKey = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(exception);

        var status = (exception as HttpRequestException)?.StatusCode;
        var transient = status is { } code ? IsTransientStatusCode(code) : exception is HttpRequestException or IOException or TimeoutException or OperationCanceledException;
        var headline = exception is OperationCanceledException or TimeoutException ? "request timed out" : "request failed before a complete response arrived";
        var message = SecretRedactor.RedactAndTruncate($"{exception.GetType().Name}: {exception.Message}", MaxProviderMessageLength, apiKey);
        return new ProviderException(provider, headline, status, errorCode: null, message, retryAfter: null, transient, exception, apiKey);
    }

    /// <summary>Creates the exception for an error a provider reported inside a stream (an SSE <c>error</c> event or an NDJSON <c>{"error":…}</c> line).</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="payload">The UTF-8 JSON of the error event or line, in any of the error-body shapes Core understands.</param>
    /// <returns>The exception to throw after the updates already delivered.</returns>
    public static ProviderException FromStreamError(string provider, ReadOnlySpan<byte> payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        var error = ProviderErrorBody.Parse(payload);
        var message = SecretRedactor.RedactAndTruncate(error.Message ?? "(no message)", MaxProviderMessageLength);
        return new ProviderException(provider, "reported an error mid-stream", statusCode: null, error.ErrorCode, message, error.RetryDelay, isTransient: null, innerException: null, secret: null);
    }

    /// <summary>Returns the exception text with secrets redacted, including those in inner exceptions.</summary>
    /// <returns>The redacted text.</returns>
    public override string ToString() => SecretRedactor.Redact(base.ToString());

    /// <summary>Gets whether a provider error code says that waiting will not help (for example an exhausted quota).</summary>
    internal static bool IsPermanentErrorCode(string? errorCode) => errorCode is not null && PermanentErrorCodes.Contains(errorCode);

    private static bool Classify(HttpStatusCode? statusCode, string? errorCode, TimeSpan? retryAfter)
    {
        if (IsPermanentErrorCode(errorCode))
        {
            return false;
        }

        return statusCode switch
        {
            HttpStatusCode.Conflict => retryAfter is not null,
            { } code => IsTransientStatusCode(code),
            null => errorCode is not null && TransientErrorCodes.Contains(errorCode),
        };
    }

    private static bool? ShouldRetryHeader(HttpResponseMessage response)
        => FirstHeader(response, "x-should-retry") switch
        {
            { } v when v.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
            { } v when v.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
            _ => null,
        };

    private static string? FirstHeader(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxErrorBodyBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return buffer[..total];
        }
    }

    private static string ComposeMessage(string provider, string headline, HttpStatusCode? statusCode, string? errorCode, string? providerMessage, TimeSpan? retryAfter)
    {
        var builder = new StringBuilder(provider).Append(' ').Append(headline);
        if (statusCode is { } status)
        {
            builder.Append(CultureInfo.InvariantCulture, $" with HTTP {(int)status}");
            if (Enum.IsDefined(status))
            {
                builder.Append(' ').Append(status.ToString());
            }
        }

        if (!string.IsNullOrEmpty(errorCode))
        {
            builder.Append(" (").Append(errorCode).Append(')');
        }

        builder.Append(string.IsNullOrWhiteSpace(providerMessage) ? "." : ": " + providerMessage.TrimEnd());
        if (retryAfter is { } wait)
        {
            builder.Append(CultureInfo.InvariantCulture, $" Retry after {wait.TotalSeconds:0.###}s.");
        }

        return builder.ToString();
    }
}
