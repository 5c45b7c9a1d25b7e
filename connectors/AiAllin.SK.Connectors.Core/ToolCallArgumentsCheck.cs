using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core;

/// <summary>
/// A <see cref="FunctionInvokingChatClient.FunctionInvoker"/> that never runs a tool call whose arguments could not be
/// parsed: Microsoft.Extensions.AI's tool loop (10.11) passes such a call to the function with empty arguments, so a
/// function whose parameters are optional runs as if the model had asked for it that way (pinned by
/// <c>OpenAIRecordedInvalidArgumentsTests.MeaiToolLoop_WithoutTheCheck_RunsTheFunctionWithEmptyArguments</c>).
/// With this invoker the parse failure (<see cref="FunctionCallContent.Exception"/>) is the call's failure: the
/// model gets <c>"Error: Function failed."</c> for it (with the parse error when detailed errors are on), and the
/// loop's consecutive-error limit applies.
/// </summary>
/// <example>
/// <code>
/// client.AsBuilder().UseFunctionInvocation(configure: c => c.FunctionInvoker = ToolCallArgumentsCheck.InvokeAsync).Build();
/// </code>
/// </example>
public static class ToolCallArgumentsCheck
{
    /// <summary>Invokes the function, or fails the call with its argument parse failure.</summary>
    /// <param name="context">The invocation context the tool loop built.</param>
    /// <param name="cancellationToken">Stops the invocation.</param>
    /// <returns>The function's result.</returns>
    public static ValueTask<object?> InvokeAsync(FunctionInvocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CallContent.Exception is { } parseFailure
            ? ValueTask.FromException<object?>(parseFailure)
            : context.Function.InvokeAsync(context.Arguments, cancellationToken);
    }
}
