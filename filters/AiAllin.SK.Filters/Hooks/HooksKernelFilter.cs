using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Hooks;

/// <summary>The Semantic Kernel adapter of <see cref="HooksPolicy"/>: function, prompt-render and automatic tool-call hooks.</summary>
public sealed class HooksKernelFilter : IFunctionInvocationFilter, IPromptRenderFilter, IAutoFunctionInvocationFilter
{
    private readonly HooksPolicy _policy;

    /// <summary>Initializes the filter.</summary>
    /// <param name="policy">The hooks.</param>
    public HooksKernelFilter(HooksPolicy policy)
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
