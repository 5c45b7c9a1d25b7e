using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters.RateLimiting;

internal static partial class RateLimitLog
{
    [LoggerMessage(EventId = AiAllinEventIds.RateLimitRejected, Level = LogLevel.Warning, Message = "Rate limit refused a request of partition {Partition} ({Reason}); retry after {RetryAfter}")]
    public static partial void Rejected(ILogger logger, string partition, RateLimitReason reason, TimeSpan? retryAfter);

    [LoggerMessage(EventId = AiAllinEventIds.RateLimitQueued, Level = LogLevel.Debug, Message = "Request of partition {Partition} waits {Wait} for the provider's Retry-After")]
    public static partial void Waiting(ILogger logger, string partition, TimeSpan wait);

    [LoggerMessage(EventId = AiAllinEventIds.RateLimitPaused, Level = LogLevel.Warning, Message = "Provider answered 429; partition {Partition} paused for {Pause}")]
    public static partial void Paused(ILogger logger, string partition, TimeSpan pause);

    [LoggerMessage(EventId = AiAllinEventIds.RateLimitTokensCorrected, Level = LogLevel.Debug, Message = "Partition {Partition} charged {Actual} tokens instead of the estimated {Estimated}")]
    public static partial void TokensCorrected(ILogger logger, string partition, long estimated, long actual);
}
