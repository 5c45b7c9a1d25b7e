using AiAllin.SK.Testing.Conditional;
using Microsoft.Extensions.VectorData;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Collection management: exists, ensure-exists and ensure-deleted are idempotent, through the collection and the
/// store; listing; deleting drops the data; metadata.
/// </summary>
public abstract class CollectionConformance<TKey> : VectorStoreConformanceBase<TKey>
    where TKey : notnull
{
    [ConformanceFact]
    public async Task EnsureExists_ThenEnsureDeleted_TogglesExistence()
    {
        var collection = Store.GetCollection<TKey, ConformanceRecord<TKey>>(NewCollectionName("coll"), ConformanceDefinition());

        Assert.False(await collection.CollectionExistsAsync());
        await collection.EnsureCollectionExistsAsync();
        Assert.True(await collection.CollectionExistsAsync());
        await collection.EnsureCollectionDeletedAsync();
        Assert.False(await collection.CollectionExistsAsync());
    }

    [ConformanceFact]
    public async Task EnsureExists_Twice_KeepsTheData()
    {
        var collection = Store.GetCollection<TKey, ConformanceRecord<TKey>>(NewCollectionName("coll"), ConformanceDefinition());
        await collection.EnsureCollectionExistsAsync();
        var record = new ConformanceRecord<TKey> { Key = NewKey(), Text = "kept", Number = 1, Vector = new([1, 0, 0]) };
        await collection.UpsertAsync(record);

        await collection.EnsureCollectionExistsAsync();

        Assert.True(await collection.CollectionExistsAsync());
        Assert.Equal("kept", (await collection.GetAsync(record.Key))?.Text);
    }

    [ConformanceFact]
    public async Task EnsureDeleted_OnMissingCollection_DoesNothing()
    {
        var name = NewCollectionName("coll");
        var collection = Store.GetCollection<TKey, ConformanceRecord<TKey>>(name, ConformanceDefinition());

        await collection.EnsureCollectionDeletedAsync();
        await Store.EnsureCollectionDeletedAsync(name);

        Assert.False(await Store.CollectionExistsAsync(name));
    }

    [ConformanceFact]
    public async Task StoreCollectionExists_FollowsTheCollection()
    {
        var name = NewCollectionName("coll");
        var collection = Store.GetCollection<TKey, ConformanceRecord<TKey>>(name, ConformanceDefinition());

        Assert.False(await Store.CollectionExistsAsync(name));
        await collection.EnsureCollectionExistsAsync();
        Assert.True(await Store.CollectionExistsAsync(name));
    }

    [ConformanceFact]
    public async Task StoreEnsureDeleted_DropsTheCollectionAndItsData()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("coll", ConformanceDefinition());
        var record = new ConformanceRecord<TKey> { Key = NewKey(), Number = 1, Vector = new([1, 0, 0]) };
        await collection.UpsertAsync(record);

        await Store.EnsureCollectionDeletedAsync(collection.Name);
        Assert.False(await collection.CollectionExistsAsync());
        await collection.EnsureCollectionExistsAsync();

        Assert.Null(await collection.GetAsync(record.Key));
        Assert.Equal(0, await CountAsync(collection));
    }

    [ConformanceFact]
    public async Task ListCollectionNames_IncludesCreatedAndExcludesDeleted()
    {
        var kept = await CreateCollectionAsync<ConformanceRecord<TKey>>("coll", ConformanceDefinition());
        var dropped = await CreateCollectionAsync<ConformanceRecord<TKey>>("coll", ConformanceDefinition());
        var neverCreated = NewCollectionName("coll");

        await dropped.EnsureCollectionDeletedAsync();
        var names = await Store.ListCollectionNamesAsync().ToListAsync();

        Assert.Single(names, n => n == kept.Name);
        Assert.DoesNotContain(dropped.Name, names);
        Assert.DoesNotContain(neverCreated, names);
    }

    [ConformanceFact]
    public async Task DynamicCollection_SeesTheSameCollection()
    {
        var typed = await CreateCollectionAsync<ConformanceRecord<TKey>>("coll", ConformanceDefinition());
        var dynamic = Store.GetDynamicCollection(typed.Name, ConformanceDefinition());

        Assert.True(await dynamic.CollectionExistsAsync());
        await dynamic.EnsureCollectionDeletedAsync();
        Assert.False(await typed.CollectionExistsAsync());
    }

    [ConformanceFact]
    public void CollectionMetadata_NamesTheCollectionAndSystem()
    {
        var name = NewCollectionName("coll");
        var collection = Store.GetCollection<TKey, ConformanceRecord<TKey>>(name, ConformanceDefinition());

        var metadata = collection.GetService(typeof(VectorStoreCollectionMetadata)) as VectorStoreCollectionMetadata;
        var storeMetadata = Store.GetService(typeof(VectorStoreMetadata)) as VectorStoreMetadata;

        Assert.NotNull(metadata);
        Assert.Equal(name, metadata.CollectionName);
        Assert.False(string.IsNullOrWhiteSpace(metadata.VectorStoreSystemName));
        Assert.NotNull(storeMetadata);
        Assert.Equal(metadata.VectorStoreSystemName, storeMetadata.VectorStoreSystemName);
    }

    [ConformanceFact]
    public void CollectionName_IsTheRequestedName()
    {
        var name = NewCollectionName("coll");

        Assert.Equal(name, Store.GetCollection<TKey, ConformanceRecord<TKey>>(name, ConformanceDefinition()).Name);
    }
}
