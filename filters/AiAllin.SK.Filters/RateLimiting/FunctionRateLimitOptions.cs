using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.RateLimiting;

/// <summary>
/// Configures a <see cref="RateLimitingFunctionFilter"/>: invocations of kernel functions (including tools the
/// model calls automatically) per fixed window, for each function by default.
/// </summary>
public sealed class FunctionRateLimitOptions
{
    /// <summary>Gets or sets how many invocations a partition may start per <see cref="Window"/>; required, at least 1.</summary>
    public int InvocationsPerWindow { get; set; }

    /// <summary>Gets or sets the window length; one minute by default.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how many invocations may wait for the next window; 0 (the default) rejects at once.</summary>
    public int QueueLimit { get; set; }

    /// <summary>
    /// Gets or sets the function naming an invocation's partition, or returning <see langword="null"/> to leave it
    /// unlimited. The default is <c>"{plugin}.{function}"</c> (just the function name without a plugin), so each
    /// function has its own limit.
    /// </summary>
    public Func<KernelFunction, KernelArguments, string?>? PartitionKeySelector { get; set; }

    /// <summary>Gets or sets the clock; <see cref="TimeProvider.System"/> by default (tests use a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
