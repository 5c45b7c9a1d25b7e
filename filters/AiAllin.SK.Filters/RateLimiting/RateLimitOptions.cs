using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.RateLimiting;

/// <summary>
/// Configures a <see cref="RateLimitPolicy"/>: requests and/or tokens per fixed window, for each partition (by
/// default one per provider, model and user), queued or rejected when the window is used up.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Gets or sets how many requests a partition may start per <see cref="Window"/>; <see langword="null"/> for no request limit.</summary>
    public int? RequestsPerWindow { get; set; }

    /// <summary>
    /// Gets or sets how many tokens a partition may use per <see cref="Window"/>; <see langword="null"/> for no token
    /// limit. A request reserves its estimate (<see cref="TokenEstimator"/>) before it is sent and is charged the
    /// total the provider reports in its usage afterwards; an under-estimate becomes debt paid off in later windows.
    /// </summary>
    public long? TokensPerWindow { get; set; }

    /// <summary>Gets or sets the window length; one minute by default.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets how many requests of one partition may wait for the next window (or for a provider's
    /// <c>Retry-After</c>); 0 (the default) rejects at once with a <see cref="RateLimitExceededException"/>.
    /// </summary>
    public int QueueLimit { get; set; }

    /// <summary>
    /// Gets or sets the function that names a request's partition; requests of one partition share the limits.
    /// The default is <c>"{provider}/{model}/{user}"</c> (see <see cref="RateLimitPartitionContext"/>).
    /// </summary>
    public Func<RateLimitPartitionContext, string>? PartitionKeySelector { get; set; }

    /// <summary>
    /// Gets or sets the function that estimates a request's tokens before it is sent; the default counts the text of
    /// the messages divided by <see cref="CharactersPerToken"/>, rounded up.
    /// </summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, long>? TokenEstimator { get; set; }

    /// <summary>Gets or sets the characters per token of the default estimator; 4 (a common English average) by default.</summary>
    public int CharactersPerToken { get; set; } = 4;

    /// <summary>
    /// Gets or sets the longest pause taken when a provider answers HTTP 429 with a <c>Retry-After</c>: the partition
    /// accepts no request until then (requests wait when <see cref="QueueLimit"/> allows, else are rejected).
    /// Five minutes by default; <see cref="TimeSpan.Zero"/> ignores <c>Retry-After</c>.
    /// </summary>
    public TimeSpan MaxRetryAfterPause { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the clock; <see cref="TimeProvider.System"/> by default (tests use a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
