using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.RateLimiting;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>Configures a <see cref="RetryPolicy"/>: exponential backoff with jitter, honouring <c>Retry-After</c>.</summary>
public sealed class RetryOptions
{
    /// <summary>Gets or sets how many times a failed call is retried; 3 by default, 0 disables retries.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Gets or sets the base of Polly's exponential backoff: retry <c>n</c> (0-based) waits about <c>BaseDelay * 2^n</c>,
    /// capped at <see cref="MaxDelay"/>. One second by default.
    /// </summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest backoff delay; 30 seconds by default.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets whether backoff delays are randomised so that many clients do not retry in step (Polly's
    /// decorrelated jitter around the exponential delay, still capped at <see cref="MaxDelay"/>). On by default.
    /// </summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// Gets or sets the longest <c>Retry-After</c> (from <see cref="ProviderException.RetryAfter"/> or
    /// <see cref="RateLimitExceededException.RetryAfter"/>) that is waited for; a longer one is not retried and the
    /// failure surfaces at once. 30 seconds by default.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets which failures are retried. By default: a transient <see cref="ProviderException"/> (throttling,
    /// overload, 5xx, network failures and timeouts of the inner client, an open circuit) and a
    /// <see cref="RateLimitExceededException"/>. The inner client's <see cref="HttpRequestException"/>,
    /// <see cref="TimeoutException"/> and timeouts are mapped to <see cref="ProviderException"/> before this is asked.
    /// A <c>ChatTimeoutException</c> of the timeout policy is not retried by default: it is the limit the application
    /// set for the call, it surfaces as itself, and a stalled call is not sent again.
    /// </summary>
    public Func<Exception, bool>? ShouldRetry { get; set; }

    /// <summary>Gets or sets the clock backoffs wait on; <see cref="TimeProvider.System"/> by default (tests use a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
