using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters.Caching;

internal static partial class CacheLog
{
    [LoggerMessage(EventId = AiAllinEventIds.CacheHit, Level = LogLevel.Debug, Message = "{Cache} cache hit for key {Key}")]
    public static partial void Hit(ILogger logger, string cache, string key);

    [LoggerMessage(EventId = AiAllinEventIds.CacheMiss, Level = LogLevel.Debug, Message = "{Cache} cache miss for key {Key}")]
    public static partial void Miss(ILogger logger, string cache, string key);

    [LoggerMessage(EventId = AiAllinEventIds.CacheStored, Level = LogLevel.Debug, Message = "{Cache} cache stored key {Key} ({Bytes} bytes)")]
    public static partial void Stored(ILogger logger, string cache, string key, int bytes);

    [LoggerMessage(EventId = AiAllinEventIds.CacheEntryTooLarge, Level = LogLevel.Information, Message = "{Cache} cache did not store key {Key}: the response exceeds MaxEntrySize ({MaxEntrySize} bytes)")]
    public static partial void TooLarge(ILogger logger, string cache, string key, long maxEntrySize);

    [LoggerMessage(EventId = AiAllinEventIds.CacheToolCallsNotStored, Level = LogLevel.Debug, Message = "{Cache} cache did not store key {Key}: the response contains tool calls (CacheToolCalls is off)")]
    public static partial void ToolCallsNotStored(ILogger logger, string cache, string key);

    [LoggerMessage(EventId = AiAllinEventIds.CacheReadFailed, Level = LogLevel.Warning, Message = "{Cache} cache could not be read; calling the model instead")]
    public static partial void ReadFailed(ILogger logger, string cache, Exception exception);

    [LoggerMessage(EventId = AiAllinEventIds.CacheWriteFailed, Level = LogLevel.Warning, Message = "{Cache} cache could not store key {Key}; the response is returned uncached")]
    public static partial void WriteFailed(ILogger logger, string cache, string key, Exception exception);

    [LoggerMessage(EventId = AiAllinEventIds.CacheEntryStale, Level = LogLevel.Debug, Message = "{Cache} cache entry {Key} created at {CreatedAt} is too old; refreshing it")]
    public static partial void Stale(ILogger logger, string cache, string key, DateTimeOffset createdAt);

    [LoggerMessage(EventId = AiAllinEventIds.CacheInvalidated, Level = LogLevel.Information, Message = "{Cache} cache invalidated {What}")]
    public static partial void Invalidated(ILogger logger, string cache, string what);

    [LoggerMessage(EventId = AiAllinEventIds.CacheStreamNotStored, Level = LogLevel.Debug, Message = "{Cache} cache did not store key {Key}: the stream did not complete")]
    public static partial void StreamNotStored(ILogger logger, string cache, string key);

    [LoggerMessage(EventId = AiAllinEventIds.CacheBypassed, Level = LogLevel.Debug, Message = "{Cache} cache bypassed: {Reason}")]
    public static partial void Bypassed(ILogger logger, string cache, string reason);

    [LoggerMessage(EventId = AiAllinEventIds.SemanticCacheHit, Level = LogLevel.Debug, Message = "Semantic cache hit {Key} with similarity {Score}")]
    public static partial void SemanticHit(ILogger logger, string key, double score);

    [LoggerMessage(EventId = AiAllinEventIds.CacheCutoffSet, Level = LogLevel.Information, Message = "{Cache} cache ignores entries created before {Cutoff}")]
    public static partial void CutoffSet(ILogger logger, string cache, DateTimeOffset cutoff);

    [LoggerMessage(EventId = AiAllinEventIds.CacheKeyFailed, Level = LogLevel.Debug, Message = "{Cache} cache bypassed: the request holds a value that cannot be serialized for the key")]
    public static partial void KeyFailed(ILogger logger, string cache, Exception exception);
}
