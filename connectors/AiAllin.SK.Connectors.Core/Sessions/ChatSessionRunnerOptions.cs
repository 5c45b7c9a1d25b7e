using AiAllin.SK.Connectors.Core.Streaming;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>Options for a <see cref="ChatSessionRunner"/>.</summary>
public sealed class ChatSessionRunnerOptions
{
    /// <summary>
    /// Gets the reducer applied to the history sent to the model (for example a <see cref="TokenBudgetChatHistoryReducer"/>);
    /// <see langword="null"/> sends the whole history. The store always keeps every message.
    /// </summary>
    public IChatHistoryReducer? Reducer { get; init; }

    /// <summary>Gets the execution settings; <see langword="null"/> enables automatic calls of the kernel's functions.</summary>
    public PromptExecutionSettings? Settings { get; init; }

    /// <summary>Gets how streamed text is grouped for the callback; <see langword="null"/> for <see cref="StreamBuffering.PerToken"/>.</summary>
    public StreamBuffering? Buffering { get; init; }

    /// <summary>Gets what a turn does when its session already has one running in this runner (default <see cref="ConcurrentTurnMode.Wait"/>).</summary>
    public ConcurrentTurnMode ConcurrentTurns { get; init; } = ConcurrentTurnMode.Wait;

    /// <summary>
    /// Gets whether a failed or cancelled turn is stored with what it produced so far (the user's message and the partial
    /// answer, marked with <see cref="ChatSessionRunner.PartialTurnProperty"/>). By default nothing of such a turn is stored.
    /// </summary>
    public bool KeepPartialTurns { get; init; }
}
