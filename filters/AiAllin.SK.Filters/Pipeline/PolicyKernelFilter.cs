using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Pipeline;

/// <summary>
/// The Semantic Kernel adapter of every policy: it hands each filter call to the policy's method for that kind of
/// filter. A <c>UseX</c> registers it only for the kinds the policy has; a kind without a method passes through.
/// </summary>
internal sealed class PolicyKernelFilter : IFunctionInvocationFilter, IPromptRenderFilter, IAutoFunctionInvocationFilter
{
    private readonly Func<FunctionInvocationContext, Func<FunctionInvocationContext, Task>, Task>? _onFunction;
    private readonly Func<PromptRenderContext, Func<PromptRenderContext, Task>, Task>? _onPromptRender;
    private readonly Func<AutoFunctionInvocationContext, Func<AutoFunctionInvocationContext, Task>, Task>? _onAutoFunction;

    public PolicyKernelFilter(
        Func<FunctionInvocationContext, Func<FunctionInvocationContext, Task>, Task>? onFunction = null,
        Func<PromptRenderContext, Func<PromptRenderContext, Task>, Task>? onPromptRender = null,
        Func<AutoFunctionInvocationContext, Func<AutoFunctionInvocationContext, Task>, Task>? onAutoFunction = null)
    {
        _onFunction = onFunction;
        _onPromptRender = onPromptRender;
        _onAutoFunction = onAutoFunction;
    }

    public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return _onFunction is null ? next(context) : _onFunction(context, next);
    }

    public Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return _onPromptRender is null ? next(context) : _onPromptRender(context, next);
    }

    public Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return _onAutoFunction is null ? next(context) : _onAutoFunction(context, next);
    }
}
