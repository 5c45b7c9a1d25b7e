using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Base of every vector-data conformance suite: gives each test its own store, unique collections and keys, and
/// deletes what the test created when it ends. xunit makes one instance per test, so nothing is shared between tests.
/// </summary>
/// <typeparam name="TKey">The record key type the suite runs with.</typeparam>
public abstract class VectorStoreConformanceBase<TKey> : IAsyncLifetime
    where TKey : notnull
{
    /// <summary>A page size larger than any test's data, for reading a whole collection.</summary>
    protected const int All = 1000;

    private readonly List<(VectorStore Store, string Name)> _collections = [];
    private readonly List<VectorStore> _stores = [];
    private VectorStore? _store;
    private int _nextKey;

    /// <summary>Gets the store under test.</summary>
    protected abstract IVectorStoreTestStore TestStore { get; }

    /// <summary>Gets the store this test uses when it needs no embedding generator.</summary>
    protected VectorStore Store => _store ??= CreateStore();

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var (store, name) in _collections)
        {
            await store.EnsureCollectionDeletedAsync(name);
        }

        foreach (var store in _stores)
        {
            store.Dispose();
        }
    }

    /// <summary>Creates another store (disposed when the test ends).</summary>
    protected VectorStore CreateStore(IEmbeddingGenerator? embeddingGenerator = null)
    {
        var store = TestStore.CreateStore(embeddingGenerator);
        _stores.Add(store);
        return store;
    }

    /// <summary>Returns a key that no other record of this test has.</summary>
    protected TKey NewKey() => TestKeys.Create<TKey>(Interlocked.Increment(ref _nextKey));

    /// <summary>Returns a unique collection name that is deleted from <paramref name="store"/> when the test ends.</summary>
    protected string NewCollectionName(string prefix, VectorStore? store = null)
    {
        var name = TestCollectionNames.Create(prefix);
        _collections.Add((store ?? Store, name));
        return name;
    }

    /// <summary>Gets a typed collection with a unique name and ensures it exists.</summary>
    protected async Task<VectorStoreCollection<TKey, TRecord>> CreateCollectionAsync<TRecord>(
        string prefix,
        VectorStoreCollectionDefinition? definition,
        VectorStore? store = null)
        where TRecord : class
    {
        store ??= Store;
        var collection = store.GetCollection<TKey, TRecord>(NewCollectionName(prefix, store), definition);
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    /// <summary>Gets a dynamic collection with a unique name and ensures it exists.</summary>
    protected async Task<VectorStoreCollection<object, Dictionary<string, object?>>> CreateDynamicCollectionAsync(
        string prefix,
        VectorStoreCollectionDefinition definition,
        VectorStore? store = null)
    {
        store ??= Store;
        var collection = store.GetDynamicCollection(NewCollectionName(prefix, store), definition);
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    /// <summary>The definition of <see cref="ConformanceRecord{TKey}"/>, with a vector of <paramref name="dimensions"/>.</summary>
    protected static VectorStoreCollectionDefinition ConformanceDefinition(int dimensions = 3, string? distanceFunction = null)
        => ConformanceDefinition(typeof(TKey), dimensions, distanceFunction);

    /// <summary>The definition of <see cref="ConformanceRecord{TKey}"/> with a key of type <paramref name="keyType"/>.</summary>
    protected static VectorStoreCollectionDefinition ConformanceDefinition(Type keyType, int dimensions = 3, string? distanceFunction = null) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(ConformanceRecord<TKey>.Key), keyType),
            new VectorStoreDataProperty(nameof(ConformanceRecord<TKey>.Text), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(ConformanceRecord<TKey>.Number), typeof(int)) { IsIndexed = true },
            new VectorStoreVectorProperty(nameof(ConformanceRecord<TKey>.Vector), typeof(ReadOnlyMemory<float>), dimensions)
            {
                DistanceFunction = distanceFunction,
            },
        ],
    };

    /// <summary>
    /// Asserts that <paramref name="action"/> fails the way MEVD rejects a bad model or argument: with
    /// <see cref="ArgumentException"/>, <see cref="NotSupportedException"/> or <see cref="InvalidOperationException"/>.
    /// </summary>
    protected static async Task<Exception> AssertRejectedAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var exception = await Record.ExceptionAsync(action);
        Assert.True(
            exception is ArgumentException or NotSupportedException or InvalidOperationException,
            $"Expected ArgumentException, NotSupportedException or InvalidOperationException; got {exception?.GetType().Name ?? "no exception"}: {exception?.Message}");
        return exception!;
    }

    /// <summary>Counts the records of a collection through a match-all filter.</summary>
    protected static async Task<int> CountAsync<TRecord>(VectorStoreCollection<TKey, TRecord> collection)
        where TRecord : class
        => await collection.GetAsync(_ => true, All).CountAsync();
}
