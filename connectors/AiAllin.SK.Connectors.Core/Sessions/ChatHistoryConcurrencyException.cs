namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>
/// Thrown when an append's expected version is not the session's version: someone appended since the caller read it.
/// Nothing was written; read the session again and retry.
/// </summary>
public sealed class ChatHistoryConcurrencyException : ChatHistoryException
{
    /// <summary>Creates an exception with a default message.</summary>
    public ChatHistoryConcurrencyException()
        : this("The chat session was changed by another writer.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public ChatHistoryConcurrencyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChatHistoryConcurrencyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a version mismatch.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="expectedVersion">The version the caller expected.</param>
    /// <param name="actualVersion">The session's version.</param>
    public ChatHistoryConcurrencyException(string sessionId, long expectedVersion, long actualVersion)
        : base(sessionId, $"Chat session '{sessionId}' is at version {actualVersion}, not the expected {expectedVersion}; another writer appended since it was read.", null)
    {
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Gets the version the caller expected.</summary>
    public long ExpectedVersion { get; }

    /// <summary>Gets the session's version at the time of the append.</summary>
    public long ActualVersion { get; }
}
