namespace AiAllin.SK.Connectors.Core;

/// <summary>
/// The one table of event ids that AiAllin.SK packages log with (<c>[LoggerMessage(EventId = …)]</c>), so ids stay
/// unique across packages and stable across releases: never renumber one; add a new id here, next to its area, with
/// a number no other entry uses. Only ids that some package logs are listed.
/// </summary>
public static class AiAllinEventIds
{
    /// <summary>A request to a provider is being sent.</summary>
    public const int ProviderRequestStarting = 1000;

    /// <summary>A provider answered successfully.</summary>
    public const int ProviderResponseReceived = 1001;

    /// <summary>A provider request failed.</summary>
    public const int ProviderRequestFailed = 1002;

    /// <summary>A failed provider request will be retried.</summary>
    public const int ProviderRetryScheduled = 1003;

    /// <summary>A streamed response started.</summary>
    public const int ProviderStreamStarted = 1004;

    /// <summary>A streamed response completed.</summary>
    public const int ProviderStreamCompleted = 1005;

    /// <summary>A streamed response failed (malformed chunk or in-stream error).</summary>
    public const int ProviderStreamError = 1006;

    /// <summary>Embeddings were generated.</summary>
    public const int EmbeddingsGenerated = 1100;

    /// <summary>A local embedding model was loaded.</summary>
    public const int EmbeddingModelLoaded = 1101;

    /// <summary>Messages were appended to a chat session.</summary>
    public const int ChatHistoryAppended = 2100;

    /// <summary>An append lost an optimistic-concurrency race.</summary>
    public const int ChatHistoryConcurrencyConflict = 2101;

    /// <summary>Expired chat sessions were removed.</summary>
    public const int ChatHistoryExpiredSessionsRemoved = 2102;

    /// <summary>A model call, stream or kernel function exceeded a time limit.</summary>
    public const int TimeoutExceeded = 5050;

    /// <summary>A call was rejected by the rate limiter.</summary>
    public const int RateLimitRejected = 5400;

    /// <summary>A call waited for a rate-limit permit.</summary>
    public const int RateLimitQueued = 5401;

    /// <summary>A provider's Retry-After paused a rate-limit partition.</summary>
    public const int RateLimitPaused = 5402;

    /// <summary>The token estimate of a call was corrected from the reported usage.</summary>
    public const int RateLimitTokensCorrected = 5403;

    /// <summary>A failed call will be retried by the filter pack.</summary>
    public const int RetryScheduled = 5500;

    /// <summary>A failure was not retried (its Retry-After was too long).</summary>
    public const int RetryNotAttempted = 5501;

    /// <summary>A call fell back to another client.</summary>
    public const int FallbackUsed = 5510;

    /// <summary>A circuit breaker opened after repeated failures.</summary>
    public const int CircuitOpened = 5520;

    /// <summary>A circuit breaker lets a probe call through.</summary>
    public const int CircuitHalfOpened = 5521;

    /// <summary>A circuit breaker closed again.</summary>
    public const int CircuitClosed = 5522;

    /// <summary>A stream failed after updates were delivered and was not retried.</summary>
    public const int StreamInterrupted = 5530;

    /// <summary>A cached response was returned.</summary>
    public const int CacheHit = 5600;

    /// <summary>No cached response was found; the model was called.</summary>
    public const int CacheMiss = 5601;

    /// <summary>A response was stored in the cache.</summary>
    public const int CacheStored = 5602;

    /// <summary>A response was larger than the cache entry limit and was not stored.</summary>
    public const int CacheEntryTooLarge = 5603;

    /// <summary>A response asking for tool calls was not stored (tool-call caching is off).</summary>
    public const int CacheToolCallsNotStored = 5604;

    /// <summary>Reading the cache failed; the call went to the model.</summary>
    public const int CacheReadFailed = 5605;

    /// <summary>Writing the cache failed; the response was still returned.</summary>
    public const int CacheWriteFailed = 5606;

    /// <summary>A cached entry was older than the allowed age and was not used.</summary>
    public const int CacheEntryStale = 5607;

    /// <summary>Cache entries were invalidated.</summary>
    public const int CacheInvalidated = 5608;

    /// <summary>A stream that failed or was abandoned was not stored.</summary>
    public const int CacheStreamNotStored = 5609;

    /// <summary>A request bypassed the cache.</summary>
    public const int CacheBypassed = 5610;

    /// <summary>A similar cached response was returned by the semantic cache.</summary>
    public const int SemanticCacheHit = 5611;

    /// <summary>An age cutoff was set; older entries are no longer served.</summary>
    public const int CacheCutoffSet = 5612;

    /// <summary>A request could not be turned into a cache key; the call went to the model.</summary>
    public const int CacheKeyFailed = 5613;

    /// <summary>Expired vector records were purged by the background cleanup.</summary>
    public const int VectorStoreExpiredRecordsPurged = 7101;

    /// <summary>Purging expired vector records failed; it is tried again later.</summary>
    public const int VectorStoreExpiryPurgeFailed = 7102;

    /// <summary>A model call is starting.</summary>
    public const int ChatRequestStarting = 9000;

    /// <summary>The (redacted) request body of a model call.</summary>
    public const int ChatRequestBody = 9001;

    /// <summary>A model call completed.</summary>
    public const int ChatResponseReceived = 9002;

    /// <summary>The (redacted) response body of a model call.</summary>
    public const int ChatResponseBody = 9003;

    /// <summary>A model call failed.</summary>
    public const int ChatFailed = 9004;

    /// <summary>The first update of a streamed model call arrived.</summary>
    public const int ChatFirstToken = 9005;

    /// <summary>The model asked for a tool call.</summary>
    public const int ChatToolCallRequested = 9006;

    /// <summary>A streamed model call was cancelled or abandoned by its caller.</summary>
    public const int ChatCancelled = 9007;

    /// <summary>A kernel function is being invoked.</summary>
    public const int FunctionInvoking = 9010;

    /// <summary>The (redacted) arguments of a kernel function.</summary>
    public const int FunctionArguments = 9011;

    /// <summary>A kernel function completed.</summary>
    public const int FunctionInvoked = 9012;

    /// <summary>The (redacted) result of a kernel function.</summary>
    public const int FunctionResultBody = 9013;

    /// <summary>A kernel function failed.</summary>
    public const int FunctionFailed = 9014;

    /// <summary>A prompt was rendered.</summary>
    public const int PromptRendered = 9015;

    /// <summary>The (redacted) rendered prompt.</summary>
    public const int PromptBody = 9016;

    /// <summary>An automatic tool call is starting.</summary>
    public const int ToolInvoking = 9020;

    /// <summary>The (redacted) arguments of an automatic tool call.</summary>
    public const int ToolArguments = 9021;

    /// <summary>An automatic tool call completed.</summary>
    public const int ToolInvoked = 9022;

    /// <summary>The (redacted) result of an automatic tool call.</summary>
    public const int ToolResultBody = 9023;

    /// <summary>An automatic tool call failed.</summary>
    public const int ToolFailed = 9024;

    /// <summary>A request was rejected by an input-validation rule.</summary>
    public const int ValidationRejected = 9100;
}
