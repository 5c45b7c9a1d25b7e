using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// Connects a memory to its data collection: records the embedding model and dimension in the info collection on
/// first use, refuses a different model or dimension afterwards, and moves the memories to a new versioned collection
/// when a migration is requested.
/// </summary>
internal sealed partial class MemoryCollectionBinding : IDisposable
{
    private const int MigrationBatch = 64;

    private readonly VectorStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly SemanticMemoryOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private State? _state;

    public MemoryCollectionBinding(VectorStore store, IEmbeddingGenerator<string, Embedding<float>> generator, SemanticMemoryOptions options)
    {
        if (!CollectionName().IsMatch(options.CollectionName))
        {
            throw new ArgumentException(
                $"Memory collection name '{options.CollectionName}' is invalid: use a letter followed by up to 39 letters, digits or underscores.",
                nameof(options));
        }

        _store = store;
        _generator = generator;
        _options = options;
    }

    public async ValueTask<State> GetAsync(CancellationToken cancellationToken)
    {
        if (_state is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state is { } raced)
            {
                return raced;
            }

            var (modelId, dimensions) = await DescribeGeneratorAsync(cancellationToken).ConfigureAwait(false);
            var info = await ReadInfoAsync(cancellationToken).ConfigureAwait(false);
            if (info is null)
            {
                info = new MemoryCollectionInfo { ModelId = modelId, Dimensions = dimensions, Version = 1, DataCollection = DataName(1), UpdatedAt = _options.TimeProvider.GetUtcNow() };
                await InfoCollection().UpsertAsync(info, cancellationToken).ConfigureAwait(false);
            }
            else if (info.ModelId != modelId || info.Dimensions != dimensions)
            {
                throw Mismatch(info, modelId, dimensions);
            }

            var collection = DataCollection(info.DataCollection, dimensions);
            await collection.EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);
            _state = new State(collection, dimensions, modelId);
            return _state;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (modelId, dimensions) = await DescribeGeneratorAsync(cancellationToken).ConfigureAwait(false);
            var info = await ReadInfoAsync(cancellationToken).ConfigureAwait(false);
            if (info is null || (info.ModelId == modelId && info.Dimensions == dimensions))
            {
                return 0;
            }

            var source = DataCollection(info.DataCollection, info.Dimensions);
            var targetName = DataName(info.Version + 1);
            var target = DataCollection(targetName, dimensions);

            // A crashed earlier attempt may have left a partial target; start it afresh.
            await target.EnsureCollectionDeletedAsync(cancellationToken).ConfigureAwait(false);
            await target.EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);
            var moved = 0;
            if (await source.CollectionExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                moved = await CopyAsync(source, target, cancellationToken).ConfigureAwait(false);
            }

            // The info record flips only after every memory is in the new collection: until then readers keep
            // using (and being told to migrate) the old one.
            var updated = new MemoryCollectionInfo
            {
                ModelId = modelId,
                Dimensions = dimensions,
                Version = info.Version + 1,
                DataCollection = targetName,
                UpdatedAt = _options.TimeProvider.GetUtcNow(),
            };
            await InfoCollection().UpsertAsync(updated, cancellationToken).ConfigureAwait(false);
            await source.EnsureCollectionDeletedAsync(cancellationToken).ConfigureAwait(false);
            _state = new State(target, dimensions, modelId);
            return moved;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> CopyAsync(
        VectorStoreCollection<string, MemoryRecord> source, VectorStoreCollection<string, MemoryRecord> target, CancellationToken cancellationToken)
    {
        var moved = 0;
        var options = new FilteredRecordRetrievalOptions<MemoryRecord> { Skip = 0 };
        options.OrderBy = o => o.Ascending(r => r.Key);
        while (true)
        {
            var batch = new List<MemoryRecord>(MigrationBatch);
            await foreach (var record in source.GetAsync(r => r.Tenant != string.Empty, MigrationBatch, options, cancellationToken).ConfigureAwait(false))
            {
                batch.Add(record);
            }

            if (batch.Count == 0)
            {
                return moved;
            }

            var embeddings = await _generator.GenerateAsync(batch.Select(r => r.Text), cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Embedding = embeddings[i].Vector;
            }

            await target.UpsertAsync(batch, cancellationToken).ConfigureAwait(false);
            moved += batch.Count;
            options.Skip += batch.Count;
        }
    }

    private async Task<(string ModelId, int Dimensions)> DescribeGeneratorAsync(CancellationToken cancellationToken)
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();
        var modelId = metadata?.DefaultModelId ?? metadata?.ProviderName ?? _generator.GetType().FullName ?? "unknown";
        if (metadata?.DefaultModelDimensions is { } known and > 0)
        {
            return (modelId, known);
        }

        // The generator does not say its dimension: measure it once.
        var probe = await _generator.GenerateAsync(["dimension probe"], cancellationToken: cancellationToken).ConfigureAwait(false);
        return (probe[0].ModelId ?? modelId, probe[0].Vector.Length);
    }

    private async Task<MemoryCollectionInfo?> ReadInfoAsync(CancellationToken cancellationToken)
    {
        var info = InfoCollection();
        await info.EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);
        return await info.GetAsync(MemoryCollectionInfo.InfoKey, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private VectorStoreCollection<string, MemoryCollectionInfo> InfoCollection() =>
        _store.GetCollection<string, MemoryCollectionInfo>(_options.CollectionName + "_info", MemoryCollectionInfo.Definition);

    private VectorStoreCollection<string, MemoryRecord> DataCollection(string name, int dimensions)
    {
        var definition = MemoryRecord.CreateDefinition(dimensions);
        return _options.CollectionFactory?.Invoke(_store, name, definition)
            ?? _store.GetCollection<string, MemoryRecord>(name, definition);
    }

    private string DataName(int version) => $"{_options.CollectionName}_v{version}";

    private EmbeddingModelMismatchException Mismatch(MemoryCollectionInfo info, string modelId, int dimensions) =>
        new($"Memory collection '{_options.CollectionName}' was written with embedding model '{info.ModelId}' ({info.Dimensions} dimensions), " +
            $"but the embedding generator in use is '{modelId}' ({dimensions} dimensions). Vectors of different models do not compare, so " +
            "searches would return wrong memories. Use the original model, or call SemanticMemory.MigrateAsync() to re-embed every memory with the new one.")
        {
            Collection = _options.CollectionName,
            StoredModelId = info.ModelId,
            StoredDimensions = info.Dimensions,
            CurrentModelId = modelId,
            CurrentDimensions = dimensions,
        };

    public void Dispose() => _gate.Dispose();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex CollectionName();

    internal sealed record State(VectorStoreCollection<string, MemoryRecord> Collection, int Dimensions, string ModelId);
}
