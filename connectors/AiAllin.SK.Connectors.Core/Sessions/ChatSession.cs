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

    /// <summary>
    /// Gets the system and developer messages older than <see cref="FirstSequence"/>, in sequence order, when the read
    /// asked for them with <see cref="ChatHistoryReadOptions.IncludeEarlierSystemMessages"/>; otherwise empty.
    /// Together with <see cref="Messages"/> they are what a reducer that keeps every system message needs.
    /// </summary>
    public IReadOnlyList<ChatMessage> EarlierSystemMessages { get; init; } = [];

    /// <summary>
    /// Gets whether a message is a system message in the sense of <see cref="EarlierSystemMessages"/> and of
    /// <see cref="TokenBudgetChatHistoryReducer"/>: its role is <see cref="ChatRole.System"/> or <c>developer</c>
    /// (the role OpenAI's reasoning models use for instructions).
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns><see langword="true"/> for a system or developer message.</returns>
    public static bool IsSystemMessage(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Role == ChatRole.System || message.Role.Value == "developer";
    }
}
