using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.RateLimiting;
using AiAllin.SK.Filters.Timeouts;
using Microsoft.Extensions.AI;
using Polly.CircuitBreaker;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>Turns transport failures of an inner client into the Core <see cref="ProviderException"/>.</summary>
internal static class ProviderErrorMapper
{
    public const string CircuitOpenErrorCode = "circuit_open";

    /// <summary>
    /// Returns the <see cref="ProviderException"/> for a failure: provider exceptions as they are;
    /// <see cref="HttpRequestException"/>, timeouts of the inner client (a cancellation the caller did not ask for)
    /// and I/O errors as transient transport failures; an open circuit as a transient failure carrying the break's
    /// remaining time. Other exceptions (argument errors, the caller's cancellation, and a
    /// <see cref="ChatTimeoutException"/> from the timeout policy, which is a verdict and not a transport failure)
    /// are returned unchanged.
    /// </summary>
    public static Exception Map(Exception exception, string provider, CancellationToken cancellationToken)
        => exception switch
        {
            ProviderException or ChatTimeoutException => exception,
            OperationCanceledException when cancellationToken.IsCancellationRequested => exception,
            BrokenCircuitException broken => new ProviderException(
                provider,
                statusCode: null,
                CircuitOpenErrorCode,
                "the circuit breaker is open after repeated failures; calls are refused until it lets a probe through",
                broken.RetryAfter,
                isTransient: true,
                broken),
            HttpRequestException or OperationCanceledException or TimeoutException or IOException => ProviderException.FromTransportFailure(provider, exception),
            _ => exception,
        };

    /// <summary>Returns the delay a failure asked for, if any.</summary>
    public static TimeSpan? RetryAfter(Exception exception)
        => exception switch
        {
            ProviderException provider => provider.RetryAfter,
            RateLimitExceededException limited => limited.RetryAfter,
            _ => null,
        };

    /// <summary>Returns the provider name for messages and logs: the client's, else "unknown".</summary>
    public static string ProviderName(ChatClientMetadata? metadata)
        => string.IsNullOrWhiteSpace(metadata?.ProviderName) ? "unknown" : metadata.ProviderName;
}
