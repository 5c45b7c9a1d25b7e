using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>
/// Configures a <see cref="CircuitBreakerPolicy"/> (a Polly circuit breaker): when at least
/// <see cref="MinimumThroughput"/> calls in <see cref="SamplingDuration"/> fail with a ratio of at least
/// <see cref="FailureRatio"/>, calls are refused for <see cref="BreakDuration"/>; then one probe call decides
/// whether the circuit closes again.
/// </summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>Gets or sets the failure ratio (0 to 1] that opens the circuit; 0.5 by default.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many calls the sampling window needs before the ratio counts; 10 by default, at least 2.</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets the window over which failures are counted; 30 seconds by default, at least 0.5 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the circuit stays open before a probe; 30 seconds by default, at least 0.5 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets which failures count against the circuit. By default a transient <see cref="ProviderException"/>
    /// (throttling, overload, 5xx, network failures and timeouts of the inner client mapped to it) and a
    /// <c>ChatTimeoutException</c> of the timeout policy; client errors such as 400 do not.
    /// </summary>
    public Func<Exception, bool>? ShouldHandle { get; set; }

    /// <summary>Gets or sets the clock; <see cref="TimeProvider.System"/> by default (tests use a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
