namespace AiAllin.SK.Connectors.Core;

/// <summary>
/// Event ids shared by every AiAllin.SK package, for <c>[LoggerMessage(EventId = …)]</c>. Each area owns a range of
/// 100 so ids stay unique and stable across packages; add new ids at the end of their range, never renumber.
/// </summary>
/// <remarks>
/// <c>AiAllin.SK.Filters</c> keeps its own ids beside these: 5050-5099 timeouts, 5400-5499 rate limiting,
/// 5500-5599 retry/fallback/circuit breaker, 5600-5699 caching, 9000-9099 logging, 9100-9199 validation.
/// </remarks>
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

    /// <summary>The first token of a streamed response arrived.</summary>
    public const int ProviderFirstToken = 1007;

    /// <summary>Provider options were rejected at registration.</summary>
    public const int ProviderOptionsInvalid = 1008;

    /// <summary>Embeddings were generated.</summary>
    public const int EmbeddingsGenerated = 1100;

    /// <summary>A local embedding model was loaded.</summary>
    public const int EmbeddingModelLoaded = 1101;

    /// <summary>A vector store collection was created or migrated.</summary>
    public const int VectorStoreCollectionEnsured = 2000;

    /// <summary>A vector store collection was deleted.</summary>
    public const int VectorStoreCollectionDeleted = 2001;

    /// <summary>Records were upserted.</summary>
    public const int VectorStoreRecordsUpserted = 2002;

    /// <summary>Records were deleted.</summary>
    public const int VectorStoreRecordsDeleted = 2003;

    /// <summary>A vector or hybrid search ran.</summary>
    public const int VectorStoreSearchExecuted = 2004;

    /// <summary>A schema migration was applied.</summary>
    public const int VectorStoreMigrationApplied = 2005;

    /// <summary>Expired records were removed.</summary>
    public const int VectorStoreExpiredRecordsRemoved = 2006;

    /// <summary>A vector store operation failed.</summary>
    public const int VectorStoreOperationFailed = 2007;

    /// <summary>Messages were appended to a chat session.</summary>
    public const int ChatHistoryAppended = 2100;

    /// <summary>An append lost an optimistic-concurrency race.</summary>
    public const int ChatHistoryConcurrencyConflict = 2101;

    /// <summary>Expired chat sessions were removed.</summary>
    public const int ChatHistoryExpiredSessionsRemoved = 2102;

    /// <summary>A cached response was returned.</summary>
    public const int CacheHit = 3000;

    /// <summary>No cached response was found.</summary>
    public const int CacheMiss = 3001;

    /// <summary>A response was stored in the cache.</summary>
    public const int CacheStored = 3002;

    /// <summary>The cache failed; the call went through uncached.</summary>
    public const int CacheError = 3003;

    /// <summary>A call waited for a rate-limit permit.</summary>
    public const int RateLimitWaiting = 4000;

    /// <summary>A call was rejected by the rate limiter.</summary>
    public const int RateLimitRejected = 4001;

    /// <summary>A provider's Retry-After was honoured.</summary>
    public const int RateLimitRetryAfterHonoured = 4002;

    /// <summary>A call exceeded its total time limit.</summary>
    public const int TimeoutTotal = 5000;

    /// <summary>A stream exceeded its time-to-first-token limit.</summary>
    public const int TimeoutFirstToken = 5001;

    /// <summary>A stream was idle between tokens for too long.</summary>
    public const int TimeoutIdle = 5002;

    /// <summary>A call is being retried after a transient failure.</summary>
    public const int RetryAttempt = 6000;

    /// <summary>A call fell back to another client.</summary>
    public const int FallbackUsed = 6001;

    /// <summary>Retries were exhausted.</summary>
    public const int RetryExhausted = 6002;

    /// <summary>A kernel function is being invoked.</summary>
    public const int FunctionInvoking = 7000;

    /// <summary>A kernel function completed.</summary>
    public const int FunctionInvoked = 7001;

    /// <summary>A kernel function failed.</summary>
    public const int FunctionFailed = 7002;

    /// <summary>A prompt was rendered.</summary>
    public const int PromptRendered = 7003;

    /// <summary>A memory was stored.</summary>
    public const int MemoryRemembered = 8000;

    /// <summary>Memories were recalled.</summary>
    public const int MemoryRecalled = 8001;

    /// <summary>A memory was forgotten.</summary>
    public const int MemoryForgotten = 8002;

    /// <summary>Recalled text looked like a prompt injection and was neutralised.</summary>
    public const int MemoryInjectionBlocked = 8003;
}
