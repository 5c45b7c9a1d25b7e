namespace AiAllin.SK.Filters.Caching;

/// <summary>Event ids of the exact and semantic response caches (range 5600-5699 of the filters package).</summary>
internal static class FilterEventIds
{
    public const int CacheHit = 5600;
    public const int CacheMiss = 5601;
    public const int CacheStored = 5602;
    public const int CacheEntryTooLarge = 5603;
    public const int CacheToolCallsNotStored = 5604;
    public const int CacheReadFailed = 5605;
    public const int CacheWriteFailed = 5606;
    public const int CacheEntryStale = 5607;
    public const int CacheInvalidated = 5608;
    public const int CacheStreamNotStored = 5609;
    public const int CacheBypassed = 5610;
    public const int SemanticCacheHit = 5611;
    public const int CacheCutoffSet = 5612;
    public const int CacheKeyFailed = 5613;
}
