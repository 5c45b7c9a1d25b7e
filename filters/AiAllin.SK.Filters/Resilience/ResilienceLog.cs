using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters.Resilience;

internal static partial class ResilienceLog
{
    [LoggerMessage(EventId = AiAllinEventIds.RetryScheduled, Level = LogLevel.Warning, Message = "{Provider} call failed ({ErrorType}); retry {Attempt} of {MaxRetries} in {Delay}")]
    public static partial void RetryScheduled(ILogger logger, string provider, string errorType, int attempt, int maxRetries, TimeSpan delay);

    [LoggerMessage(EventId = AiAllinEventIds.RetryNotAttempted, Level = LogLevel.Warning, Message = "{Provider} asked to retry after {RetryAfter}, longer than the allowed {MaxRetryAfter}; not retried")]
    public static partial void RetryAfterTooLong(ILogger logger, string provider, TimeSpan retryAfter, TimeSpan maxRetryAfter);

    [LoggerMessage(EventId = AiAllinEventIds.FallbackUsed, Level = LogLevel.Warning, Message = "{Provider} call failed ({ErrorType}); falling back to {FallbackProvider} model {FallbackModel}")]
    public static partial void FallbackUsed(ILogger logger, string provider, string errorType, string fallbackProvider, string? fallbackModel);

    [LoggerMessage(EventId = AiAllinEventIds.CircuitOpened, Level = LogLevel.Error, Message = "Circuit for {Provider} opened for {BreakDuration} after repeated failures")]
    public static partial void CircuitOpened(ILogger logger, string provider, TimeSpan breakDuration);

    [LoggerMessage(EventId = AiAllinEventIds.CircuitHalfOpened, Level = LogLevel.Information, Message = "Circuit for {Provider} half-open: the next call is a probe")]
    public static partial void CircuitHalfOpened(ILogger logger, string provider);

    [LoggerMessage(EventId = AiAllinEventIds.CircuitClosed, Level = LogLevel.Information, Message = "Circuit for {Provider} closed")]
    public static partial void CircuitClosed(ILogger logger, string provider);

    [LoggerMessage(EventId = AiAllinEventIds.StreamInterrupted, Level = LogLevel.Error, Message = "{Provider} stream failed after {DeliveredUpdates} updates were delivered ({ErrorType}); not retried, it would duplicate output")]
    public static partial void StreamInterrupted(ILogger logger, string provider, int deliveredUpdates, string errorType);
}
