using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Core.ChatClients;

/// <summary>
/// Sits above a tool loop and wraps each plain <see cref="AIFunction"/> of <see cref="ChatOptions.Tools"/> so that a call
/// whose arguments did not parse (<c>FunctionCallContent.Exception</c>) fails with that error instead of running
/// with empty arguments. Kernel functions are left alone: the kernel filter (<see cref="ToolCallArgumentsFilter"/>)
/// covers them, and SK's loop recognises them by type.
/// </summary>
internal sealed class ToolCallArgumentsGuardChatClient : DelegatingChatClient
{
    public ToolCallArgumentsGuardChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => base.GetResponseAsync(messages, Guard(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => base.GetStreamingResponseAsync(messages, Guard(options), cancellationToken);

    /// <summary>Returns the options unchanged when no tool needs the guard; otherwise a copy (the caller's stay theirs).</summary>
    private static ChatOptions? Guard(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools || !tools.Any(NeedsGuard))
        {
            return options;
        }

        var guarded = options.Clone();
        guarded.Tools = [.. tools.Select(t => NeedsGuard(t) ? new CheckedFunction((AIFunction)t) : t)];
        return guarded;
    }

    private static bool NeedsGuard(AITool tool) => tool is AIFunction and not KernelFunction and not CheckedFunction;

    private sealed class CheckedFunction(AIFunction inner) : DelegatingAIFunction(inner)
    {
        protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
            => FunctionInvokingChatClient.CurrentContext?.CallContent.Exception is { } parseFailure
                ? ValueTask.FromException<object?>(parseFailure)
                : base.InvokeCoreAsync(arguments, cancellationToken);
    }
}
