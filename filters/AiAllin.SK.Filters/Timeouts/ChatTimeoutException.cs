namespace AiAllin.SK.Filters.Timeouts;

/// <summary>
/// A model call or SK function exceeded one of its time limits. <see cref="Limit"/> and <see cref="Timeout"/> say
/// which; the caller's own cancellation is never reported this way (it stays an <see cref="OperationCanceledException"/>).
/// </summary>
public sealed class ChatTimeoutException : TimeoutException
{
    /// <summary>Creates an exception with a default message.</summary>
    public ChatTimeoutException()
        : this("The chat call timed out.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public ChatTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChatTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for an exceeded limit.</summary>
    /// <param name="limit">The limit exceeded.</param>
    /// <param name="timeout">Its value.</param>
    /// <param name="operation">What timed out, for example <c>chat stream</c> or <c>function MyPlugin.Summarize</c>.</param>
    /// <param name="innerException">The cancellation the timeout caused, if any.</param>
    public ChatTimeoutException(TimeoutLimit limit, TimeSpan timeout, string operation, Exception? innerException = null)
        : base($"The {operation} exceeded its {Describe(limit)} limit of {timeout.TotalSeconds:0.###} s ({limit}).", innerException)
    {
        Limit = limit;
        Timeout = timeout;
    }

    /// <summary>Gets the limit exceeded, when known.</summary>
    public TimeoutLimit? Limit { get; }

    /// <summary>Gets the value of the exceeded limit.</summary>
    public TimeSpan Timeout { get; }

    private static string Describe(TimeoutLimit limit) => limit switch
    {
        TimeoutLimit.FirstToken => "time-to-first-token",
        TimeoutLimit.Idle => "idle-between-tokens",
        _ => "total time",
    };
}
