using System.Globalization;

namespace AiAllin.SK.Filters.RateLimiting;

/// <summary>
/// A request was refused by a <see cref="RateLimitPolicy"/> before it reached the provider: its partition is out of
/// requests or tokens for the window, its queue is full, or the provider asked to wait (<c>Retry-After</c>).
/// </summary>
public sealed class RateLimitExceededException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public RateLimitExceededException()
        : this("The rate limit was exceeded.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public RateLimitExceededException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RateLimitExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
        PartitionKey = string.Empty;
    }

    /// <summary>Creates an exception for a refused request; the message is composed from the parts.</summary>
    /// <param name="partitionKey">The partition that is out of capacity.</param>
    /// <param name="reason">Which limit refused the request.</param>
    /// <param name="retryAfter">When the partition has capacity again, if known.</param>
    public RateLimitExceededException(string partitionKey, RateLimitReason reason, TimeSpan? retryAfter)
        : base(ComposeMessage(partitionKey, reason, retryAfter))
    {
        PartitionKey = partitionKey;
        Reason = reason;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the partition key of the refused request.</summary>
    public string PartitionKey { get; }

    /// <summary>Gets which limit refused the request.</summary>
    public RateLimitReason Reason { get; }

    /// <summary>Gets how long until the partition has capacity again, if known.</summary>
    public TimeSpan? RetryAfter { get; }

    private static string ComposeMessage(string partitionKey, RateLimitReason reason, TimeSpan? retryAfter)
    {
        var what = reason switch
        {
            RateLimitReason.Requests => "its requests per window are used up",
            RateLimitReason.Tokens => "its tokens per window are used up",
            _ => "the provider asked to wait (HTTP 429 Retry-After)",
        };
        var when = retryAfter is { } wait ? string.Create(CultureInfo.InvariantCulture, $" Retry after {wait.TotalSeconds:0.###}s.") : string.Empty;
        return $"Rate limit exceeded for partition '{partitionKey}': {what} and the queue is full or disabled.{when}";
    }
}
