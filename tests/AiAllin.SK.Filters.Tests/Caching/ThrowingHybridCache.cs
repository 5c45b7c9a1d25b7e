using Microsoft.Extensions.Caching.Hybrid;

namespace AiAllin.SK.Filters.Tests.Caching;

/// <summary>A HybridCache whose every operation fails, as a broken custom cache would.</summary>
internal sealed class ThrowingHybridCache : HybridCache
{
    public int Reads { get; private set; }

    public int Writes { get; private set; }

    public override ValueTask<T> GetOrCreateAsync<TState, T>(
        string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options = null,
        IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        Reads++;
        throw new InvalidOperationException("cache down");
    }

    public override ValueTask SetAsync<T>(
        string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        Writes++;
        throw new InvalidOperationException("cache down");
    }

    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) => throw new InvalidOperationException("cache down");

    public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default) => throw new InvalidOperationException("cache down");
}
