using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Timeouts;

/// <summary>The Semantic Kernel adapter of <see cref="TimeoutPolicy"/>: limits function invocations and streamed function results.</summary>
public sealed class TimeoutKernelFilter : IFunctionInvocationFilter
{
    private readonly TimeoutPolicy _policy;

    /// <summary>Initializes the filter.</summary>
    /// <param name="policy">The timeout policy.</param>
    public TimeoutKernelFilter(TimeoutPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
    }

    /// <inheritdoc />
    public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return _policy.OnFunctionInvocationAsync(context, next);
    }
}
