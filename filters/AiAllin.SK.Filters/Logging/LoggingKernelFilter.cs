using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Logging;

/// <summary>The Semantic Kernel adapter of <see cref="LoggingPolicy"/>: logs function calls (streaming too), rendered prompts and automatic tool calls.</summary>
public sealed class LoggingKernelFilter : IFunctionInvocationFilter, IPromptRenderFilter, IAutoFunctionInvocationFilter
{
    private readonly LoggingPolicy _policy;

    /// <summary>Initializes the filter.</summary>
    /// <param name="policy">The logging policy.</param>
    public LoggingKernelFilter(LoggingPolicy policy)
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
    public Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return _policy.OnPromptRenderAsync(context, next);
    }

    /// <inheritdoc />
    public Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return _policy.OnAutoFunctionInvocationAsync(context, next);
    }
}
