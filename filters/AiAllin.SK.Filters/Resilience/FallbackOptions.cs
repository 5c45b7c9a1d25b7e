using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.RateLimiting;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>
/// Configures a <see cref="FallbackPolicy"/>: where a failed call goes next — another client
/// (<see cref="FallbackClient"/> or a keyed service <see cref="FallbackClientKey"/>), another model
/// (<see cref="FallbackModelId"/>), or both.
/// </summary>
public sealed class FallbackOptions
{
    /// <summary>Gets or sets the client called when the primary fails; the primary itself (with <see cref="FallbackModelId"/>) when not set.</summary>
    public IChatClient? FallbackClient { get; set; }

    /// <summary>
    /// Gets or sets the key of a keyed <see cref="IChatClient"/> service used as the fallback client, resolved on first
    /// use. A fallback layer never falls back again from inside a fallback call, so the keyed client may itself be
    /// decorated by the same <c>AddAiAllinFilters</c> registration.
    /// </summary>
    public object? FallbackClientKey { get; set; }

    /// <summary>Gets or sets the model requested from the fallback client (<see cref="ChatOptions.ModelId"/>); the request's own when not set.</summary>
    public string? FallbackModelId { get; set; }

    /// <summary>
    /// Gets or sets which failures fall back. By default every <see cref="ProviderException"/> (including transport
    /// failures mapped to it and an open circuit), <see cref="RateLimitExceededException"/> and a
    /// <c>ChatTimeoutException</c> of the timeout policy, but not the caller's
    /// cancellation, argument errors or a <see cref="StreamInterruptedException"/>.
    /// </summary>
    public Func<Exception, bool>? ShouldFallback { get; set; }
}
