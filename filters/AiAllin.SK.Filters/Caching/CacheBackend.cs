using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Caching;

/// <summary>Where a <see cref="CacheEngine"/> keeps its entries: a HybridCache (exact) or a vector store (semantic).</summary>
internal abstract class CacheBackend
{
    /// <summary>Finds the entry for a request; null when the request cannot be cached (then the cache is bypassed).</summary>
    public abstract ValueTask<CacheLookup?> LookupAsync(CacheRequest request, CancellationToken cancellationToken);

    /// <summary>Stores an entry found missing (or stale) by <see cref="LookupAsync"/>.</summary>
    public abstract ValueTask StoreAsync(CacheLookup lookup, byte[] entry, CancellationToken cancellationToken);
}

/// <summary>One call as the cache sees it.</summary>
internal sealed record CacheRequest(
    IList<ChatMessage> Messages,
    ChatOptions? Options,
    string Partition,
    string? DefaultModelId,
    List<string> Tags,
    DateTimeOffset Now);

/// <summary>The result of a lookup: the key (and backend state) to store under, and the entry found, if any.</summary>
internal sealed record CacheLookup(string Key, CacheRequest Request, byte[]? Entry, object? State = null);
