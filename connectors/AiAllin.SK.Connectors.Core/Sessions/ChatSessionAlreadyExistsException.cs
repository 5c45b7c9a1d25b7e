namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>Thrown when a session is created with the id of a live session.</summary>
public sealed class ChatSessionAlreadyExistsException : ChatHistoryException
{
    /// <summary>Creates an exception with a default message.</summary>
    public ChatSessionAlreadyExistsException()
        : this("A chat session with this id already exists.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public ChatSessionAlreadyExistsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChatSessionAlreadyExistsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a session id.</summary>
    /// <param name="sessionId">The id that is taken.</param>
    /// <param name="innerException">The store's own error, if any (a unique-key violation, for example).</param>
    /// <returns>The exception, with a message naming the session.</returns>
    public static ChatSessionAlreadyExistsException ForSession(string sessionId, Exception? innerException = null) =>
        new(sessionId, $"Chat session '{sessionId}' already exists.", innerException);

    private ChatSessionAlreadyExistsException(string sessionId, string message, Exception? innerException)
        : base(sessionId, message, innerException)
    {
    }
}
