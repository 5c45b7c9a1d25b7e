using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Core;

/// <summary>
/// Keeps a tool call whose arguments could not be parsed from running with no arguments in Semantic Kernel's tool loop.
/// Semantic Kernel's kernel-function invoking client (<c>UseKernelFunctionInvocation</c>, SK 1.82) passes such a call
/// to the kernel function with empty arguments (pinned by the providers' <c>*RecordedInvalidArgumentsTests</c>); this
/// filter raises the parse failure (<see cref="Microsoft.Extensions.AI.FunctionCallContent.Exception"/>) instead, so
/// the tool loop records the call as failed: the model gets <c>"Error: Function failed."</c> for it, as with
/// <see cref="ToolCallArgumentsCheck"/> on Microsoft.Extensions.AI's own tool loop, and the loop's consecutive-error
/// limit applies.
/// </summary>
internal sealed class ToolCallArgumentsFilter : IAutoFunctionInvocationFilter
{
    /// <inheritdoc />
    public Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return context.CallContent?.Exception is { } parseFailure ? Task.FromException(parseFailure) : next(context);
    }
}
