using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>A chat session read from an <see cref="IChatHistoryStore"/>: its information and the requested messages.</summary>
public sealed class ChatSession
{
    /// <summary>Gets the session's information.</summary>
    public required ChatSessionInfo Info { get; init; }

    /// <summary>Gets the messages, in sequence order, as selected by <see cref="ChatHistoryReadOptions"/>.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>
    /// Gets the sequence of the first message in <see cref="Messages"/>: message <c>i</c> has sequence
    /// <c>FirstSequence + i</c>. When <see cref="Messages"/> is empty this is <c>Info.Version + 1</c>.
    /// </summary>
    public required long FirstSequence { get; init; }
}
