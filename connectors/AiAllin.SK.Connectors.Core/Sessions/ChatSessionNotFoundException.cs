namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>Thrown when a write targets a session that does not exist or has expired.</summary>
public sealed class ChatSessionNotFoundException : ChatHistoryException
{
    /// <summary>Creates an exception with a default message.</summary>
    public ChatSessionNotFoundException()
        : this("The chat session does not exist or has expired.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public ChatSessionNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChatSessionNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a session id.</summary>
    /// <param name="sessionId">The id that was not found.</param>
    /// <returns>The exception, with a message naming the session.</returns>
    public static ChatSessionNotFoundException ForSession(string sessionId) =>
        new(sessionId, $"Chat session '{sessionId}' does not exist or has expired.");

    private ChatSessionNotFoundException(string sessionId, string message)
        : base(sessionId, message, null)
    {
    }
}
