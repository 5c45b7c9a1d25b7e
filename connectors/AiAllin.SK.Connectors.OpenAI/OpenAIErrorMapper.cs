using System.ClientModel;
using System.Net;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Turns what the OpenAI SDK throws into <see cref="ProviderException"/> for the failures that do not pass through
/// <see cref="OpenAIResponseGuardHandler"/> (a response the SDK could not read, its network timeout, or an error
/// raised by the SDK itself).
/// </summary>
internal static class OpenAIErrorMapper
{
    /// <summary>Maps an exception, or returns <see langword="null"/> when it should propagate unchanged.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="exception">The exception.</param>
    /// <param name="apiKey">The key to redact.</param>
    /// <param name="callerToken">The caller's token: a cancellation it did not ask for is the SDK's network timeout.</param>
    /// <returns>The provider exception, or <see langword="null"/>.</returns>
    public static ProviderException? Map(string provider, Exception exception, string? apiKey, CancellationToken callerToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            ProviderException => null,
            OperationCanceledException when callerToken.IsCancellationRequested => null,
            OperationCanceledException => ProviderException.FromTransportFailure(provider, exception, apiKey),
            ClientResultException result => FromClientResult(provider, result, apiKey),
            JsonException json => new ProviderException(provider, statusCode: null, "invalid_response", SecretRedactor.Redact("The response could not be read: " + json.Message, apiKey), isTransient: false, innerException: json),
            HttpRequestException or IOException => ProviderException.FromTransportFailure(provider, exception, apiKey),
            _ => null,
        };
    }

    private static ProviderException FromClientResult(string provider, ClientResultException exception, string? apiKey)
    {
        var status = exception.Status == 0 ? (HttpStatusCode?)null : (HttpStatusCode)exception.Status;
        var message = SecretRedactor.Redact(exception.Message, apiKey);
        return status is null
            ? ProviderException.FromTransportFailure(provider, exception.InnerException ?? exception, apiKey)
            : new ProviderException(provider, status, errorCode: null, message, innerException: null);
    }
}
