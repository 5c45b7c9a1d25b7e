using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Filters.Caching;

/// <summary>Keeps semantic entries in a vector store collection, searched by the prompt's embedding.</summary>
internal sealed class VectorStoreCacheBackend : CacheBackend
{
    private const int DeleteBatch = 256;

    private readonly VectorStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly SemanticCacheOptions _options;
    private readonly CacheSettings _settings;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task<VectorStoreCollection<string, SemanticCacheRecord>>? _collection;

    public VectorStoreCacheBackend(
        VectorStore store, IEmbeddingGenerator<string, Embedding<float>> generator, SemanticCacheOptions options, CacheSettings settings, ILogger logger)
    {
        _store = store;
        _generator = generator;
        _options = options;
        _settings = settings;
        _logger = logger;
    }

    /// <summary>Gets or sets the oldest creation time still served (set by the engine that owns this backend).</summary>
    public Func<DateTimeOffset, DateTimeOffset> OldestValid { get; set; } = now => now;

    public override async ValueTask<CacheLookup?> LookupAsync(CacheRequest request, CancellationToken cancellationToken)
    {
        var promptIndex = -1;
        for (var i = request.Messages.Count - 1; i >= 0; i--)
        {
            if (request.Messages[i].Role == ChatRole.User && !string.IsNullOrWhiteSpace(request.Messages[i].Text))
            {
                promptIndex = i;
                break;
            }
        }

        if (promptIndex < 0)
        {
            CacheLog.Bypassed(_logger, _settings.Name, "no user message text to compare");
            return null;
        }

        string context;
        try
        {
            context = CanonicalRequestWriter.Hash(
                "semantic", request.Partition, request.DefaultModelId, request.Messages, request.Options, promptIndex, _settings.Json);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            CacheLog.KeyFailed(_logger, _settings.Name, ex);
            return null;
        }

        var vector = await _generator.GenerateVectorAsync(request.Messages[promptIndex].Text, cancellationToken: cancellationToken).ConfigureAwait(false);
        var collection = await GetCollectionAsync(vector.Length, cancellationToken).ConfigureAwait(false);
        var partition = request.Partition;
        var oldest = OldestValid(request.Now).ToUnixTimeMilliseconds();
        var search = new VectorSearchOptions<SemanticCacheRecord>
        {
            Filter = r => r.Partition == partition && r.Context == context && r.CreatedAt >= oldest,
        };

        await foreach (var result in collection.SearchAsync(vector, 1, search, cancellationToken).ConfigureAwait(false))
        {
            if (result.Score is { } score && score >= _options.SimilarityThreshold)
            {
                CacheLog.SemanticHit(_logger, result.Record.Key, score);
                return new CacheLookup(result.Record.Key, request, Encoding.UTF8.GetBytes(result.Record.Entry), new StoreState(vector, context));
            }
        }

        return new CacheLookup(Guid.NewGuid().ToString("N"), request, null, new StoreState(vector, context));
    }

    public override async ValueTask StoreAsync(CacheLookup lookup, byte[] entry, CancellationToken cancellationToken)
    {
        var state = (StoreState)lookup.State!;
        var collection = await GetCollectionAsync(state.Vector.Length, cancellationToken).ConfigureAwait(false);
        await collection.UpsertAsync(
            new SemanticCacheRecord
            {
                Key = lookup.Key,
                Partition = lookup.Request.Partition,
                Context = state.Context,
                CreatedAt = lookup.Request.Now.ToUnixTimeMilliseconds(),
                Tags = [.. lookup.Request.Tags],
                Entry = Encoding.UTF8.GetString(entry),
                Embedding = state.Vector,
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var collection = await GetCollectionAsync(null, cancellationToken).ConfigureAwait(false);
        await collection.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> DeleteWhereAsync(Expression<Func<SemanticCacheRecord, bool>> filter, CancellationToken cancellationToken)
    {
        var collection = await GetCollectionAsync(null, cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        while (true)
        {
            var keys = new List<string>(DeleteBatch);
            await foreach (var record in collection.GetAsync(filter, DeleteBatch, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                keys.Add(record.Key);
            }

            if (keys.Count == 0)
            {
                return deleted;
            }

            await collection.DeleteAsync(keys, cancellationToken).ConfigureAwait(false);
            deleted += keys.Count;
        }
    }

    private Task<VectorStoreCollection<string, SemanticCacheRecord>> GetCollectionAsync(int? knownDimensions, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Shared by concurrent callers, so it runs without any one caller's token; a failed attempt is retried.
            if (_collection is null || _collection.IsFaulted || _collection.IsCanceled)
            {
                _collection = EnsureCollectionAsync(knownDimensions);
            }

            return _collection.WaitAsync(cancellationToken);
        }
    }

    private async Task<VectorStoreCollection<string, SemanticCacheRecord>> EnsureCollectionAsync(int? knownDimensions)
    {
        var dimensions = _options.Dimensions
            ?? knownDimensions
            ?? _generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions
            ?? (await _generator.GenerateVectorAsync("dimension probe").ConfigureAwait(false)).Length;
        var collection = _store.GetCollection<string, SemanticCacheRecord>(_options.CollectionName, SemanticCacheRecord.Definition(dimensions));
        await collection.EnsureCollectionExistsAsync().ConfigureAwait(false);
        return collection;
    }

    private sealed record StoreState(ReadOnlyMemory<float> Vector, string Context);
}
