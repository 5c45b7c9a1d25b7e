using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters.Caching;

/// <summary>Keeps exact-match entries in a <see cref="HybridCache"/> as serialized bytes.</summary>
internal sealed class HybridCacheBackend : CacheBackend
{
    private readonly HybridCache _cache;
    private readonly HybridCacheEntryOptions _readOptions;
    private readonly CacheSettings _settings;
    private readonly HybridCacheEntryOptions _writeOptions;
    private readonly ILogger _logger;

    public HybridCacheBackend(HybridCache cache, CacheSettings settings, string keyPrefix, bool useLocalCache, TimeSpan? localCacheExpiration, ILogger logger)
    {
        _cache = cache;
        _settings = settings;
        _logger = logger;
        KeyPrefix = keyPrefix;
        var local = useLocalCache ? HybridCacheEntryFlags.None : HybridCacheEntryFlags.DisableLocalCache;

        // Read-only lookups: the model is called by the engine, outside HybridCache, so a failed or cancelled call (or
        // an oversized answer, or one with tool calls) never reaches the cache.
        _readOptions = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData | local };
        _writeOptions = new HybridCacheEntryOptions { Expiration = settings.Ttl, LocalCacheExpiration = localCacheExpiration, Flags = local };
        AllTag = keyPrefix + "all";
    }

    public string KeyPrefix { get; }

    /// <summary>Gets the tag every entry of this cache carries.</summary>
    public string AllTag { get; }

    public HybridCache Cache => _cache;

    public string PartitionTag(string partitionHash) => KeyPrefix + "partition:" + partitionHash;

    public string ComputeKey(CacheRequest request) =>
        KeyPrefix + CanonicalRequestWriter.Version + ":" + CanonicalRequestWriter.Hash(
            "exact", request.Partition, request.DefaultModelId, request.Messages, request.Options, -1, _settings.Json);

    public override async ValueTask<CacheLookup?> LookupAsync(CacheRequest request, CancellationToken cancellationToken)
    {
        string key;
        try
        {
            key = ComputeKey(request);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            // A value the serializer cannot represent could make different requests share a key: do not cache.
            CacheLog.KeyFailed(_logger, _settings.Name, ex);
            return null;
        }

        // HybridCache hands a lookup with a cancellable token to the thread pool (another caller could join it), a hop
        // on every miss; a read-only lookup has no work to share, so it runs inline, and a slow distributed read is
        // still abandoned when the caller cancels.
        cancellationToken.ThrowIfCancellationRequested();
        var pending = _cache.GetOrCreateAsync(key, static _ => ValueTask.FromResult<byte[]?>(null), _readOptions, null, CancellationToken.None);
        var data = pending.IsCompletedSuccessfully
            ? pending.Result
            : await pending.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        return new CacheLookup(key, request, data);
    }

    public override async ValueTask StoreAsync(CacheLookup lookup, byte[] entry, CancellationToken cancellationToken)
    {
        var tags = lookup.Request.Tags;
        tags.Add(AllTag);
        tags.Add(PartitionTag(lookup.Request.Partition));
        await _cache.SetAsync(lookup.Key, entry, _writeOptions, tags, cancellationToken).ConfigureAwait(false);
    }
}
