using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Metrics;

/// <summary>The Semantic Kernel adapter of <see cref="MetricsPolicy"/>: measures function invocations (streaming too) and automatic tool calls.</summary>
public sealed class MetricsKernelFilter : IFunctionInvocationFilter, IAutoFunctionInvocationFilter
{
    private readonly MetricsPolicy _policy;

    /// <summary>Initializes the filter.</summary>
    /// <param name="policy">The metrics policy.</param>
    public MetricsKernelFilter(MetricsPolicy policy)
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

    /// <inheritdoc />
    public Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return _policy.OnAutoFunctionInvocationAsync(context, next);
    }
}
