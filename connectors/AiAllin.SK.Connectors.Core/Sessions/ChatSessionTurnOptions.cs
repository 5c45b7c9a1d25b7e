using Microsoft.SemanticKernel.ChatCompletion;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>Options for a chat turn run by <see cref="KernelChatSessionExtensions"/>.</summary>
public sealed class ChatSessionTurnOptions
{
    /// <summary>
    /// Gets the reducer applied to the history sent to the model (for example a <see cref="TokenBudgetChatHistoryReducer"/>);
    /// <see langword="null"/> sends the whole history. The store always keeps every message.
    /// </summary>
    public IChatHistoryReducer? Reducer { get; init; }
}
