namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>The base of the failures an <see cref="IChatHistoryStore"/> reports about a session's state.</summary>
public class ChatHistoryException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public ChatHistoryException()
        : this("The chat history operation failed.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public ChatHistoryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChatHistoryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception about a session.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected ChatHistoryException(string? sessionId, string message, Exception? innerException)
        : base(message, innerException)
    {
        SessionId = sessionId;
    }

    /// <summary>Gets the id of the session concerned, when known.</summary>
    public string? SessionId { get; }
}
