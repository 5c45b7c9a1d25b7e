using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// A vector store held in process memory: the embedded default of AiAllin.SK. Collection objects obtained with the same
/// name from one store share their data.
/// </summary>
public sealed class InMemoryVectorStore : VectorStore
{
    internal const string SystemName = "aiallin.inmemory";

    private readonly ConcurrentDictionary<string, InMemoryCollectionData> _collections;
    private readonly IEmbeddingGenerator? _embeddingGenerator;
    private readonly VectorStoreMetadata _metadata = new() { VectorStoreSystemName = SystemName };

    /// <summary>Initializes a new, empty store.</summary>
    public InMemoryVectorStore()
        : this(new InMemoryVectorStoreOptions())
    {
    }

    /// <summary>Initializes a new, empty store.</summary>
    /// <param name="options">The options.</param>
    public InMemoryVectorStore(InMemoryVectorStoreOptions options)
        : this(options, NewStorage())
    {
    }

    /// <summary>Initializes a store over existing storage: the stores of one DI registration share their collections.</summary>
    internal InMemoryVectorStore(InMemoryVectorStoreOptions options, ConcurrentDictionary<string, InMemoryCollectionData> storage)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        _embeddingGenerator = options.EmbeddingGenerator;
        _collections = storage;
    }

    /// <summary>Creates the empty storage of a store or a standalone collection.</summary>
    internal static ConcurrentDictionary<string, InMemoryCollectionData> NewStorage() => new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override InMemoryCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
        => typeof(TRecord) == typeof(Dictionary<string, object?>)
            ? throw new NotSupportedException(VectorDataStrings.NonDynamicCollectionWithDictionaryNotSupported(typeof(InMemoryDynamicCollection)))
            : new InMemoryCollection<TKey, TRecord>(
                _collections,
                name,
                static options => new InMemoryModelBuilder().Build(typeof(TRecord), typeof(TKey), options.Definition, options.EmbeddingGenerator),
                new InMemoryCollectionOptions { Definition = definition, EmbeddingGenerator = _embeddingGenerator });

    /// <inheritdoc />
    public override InMemoryDynamicCollection GetDynamicCollection(string name, VectorStoreCollectionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new InMemoryDynamicCollection(
            _collections, name, new InMemoryCollectionOptions { Definition = definition, EmbeddingGenerator = _embeddingGenerator });
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<string> ListCollectionNamesAsync(CancellationToken cancellationToken = default)
        => _collections.Keys.ToAsyncEnumerable();

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Task.FromResult(_collections.ContainsKey(name));
    }

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        _collections.TryRemove(name, out _);
        return Task.CompletedTask;
    }

    /// <summary>Gets the stored data of a collection, for white-box tests of the storage layout.</summary>
    internal InMemoryCollectionData? GetCollectionData(string name) => _collections.GetValueOrDefault(name);

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);

        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }
}
