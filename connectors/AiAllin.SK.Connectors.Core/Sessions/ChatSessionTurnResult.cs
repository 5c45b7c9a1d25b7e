using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>The outcome of a chat turn run by <see cref="KernelChatSessionExtensions"/>.</summary>
public sealed class ChatSessionTurnResult
{
    /// <summary>Gets the model's response, with every message it produced (function calls, tool results, the answer) and usage.</summary>
    public required ChatResponse Response { get; init; }

    /// <summary>Gets the messages appended to the session: the user's message, then the response's messages.</summary>
    public required IReadOnlyList<ChatMessage> AppendedMessages { get; init; }

    /// <summary>Gets the session's version after the append.</summary>
    public required long Version { get; init; }

    /// <summary>Gets the text of the answer (the response's last message).</summary>
    public string Text => Response.Messages.Count == 0 ? string.Empty : Response.Messages[^1].Text;
}
