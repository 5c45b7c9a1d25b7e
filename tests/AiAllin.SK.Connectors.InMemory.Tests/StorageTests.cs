namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class StorageTests
{
    [Fact]
    public async Task DeletedSlots_AreReused_SoStorageDoesNotGrow()
    {
        var store = new InMemoryVectorStore();
        var collection = await Stores.ProductsAsync(store);
        await collection.UpsertAsync(Enumerable.Range(0, 100).Select(i => Stores.Product($"old{i}", i, i, 1, 0)));
        var data = store.GetCollectionData(collection.Name)!;
        var capacity = data.Capacity;
        var block = data.Vectors[0].Data;

        await collection.DeleteAsync(Enumerable.Range(0, 100).Where(i => i % 2 == 0).Select(i => $"old{i}"));
        await collection.UpsertAsync(Enumerable.Range(0, 50).Select(i => Stores.Product($"new{i}", i, 0, 0, i + 1)));

        Assert.Equal(100, data.HighWater);
        Assert.Equal(capacity, data.Capacity);
        Assert.Same(block, data.Vectors[0].Data);
        Assert.Equal(100, data.Count);
        var hit = await collection.SearchAsync(new ReadOnlyMemory<float>([0, 0, 1]), 1).SingleAsync();
        Assert.StartsWith("new", hit.Record.Id);
    }

    [Fact]
    public async Task Vectors_AreStoredRowAfterRowInOneBlock()
    {
        var store = new InMemoryVectorStore();
        var collection = await Stores.ProductsAsync(store);

        await collection.UpsertAsync([Stores.Product("a", 1, 1, 2, 3), Stores.Product("b", 2, 4, 5, 6)]);

        var column = store.GetCollectionData(collection.Name)!.Vectors[0];
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], column.Data.Take(6));
        Assert.Equal(MathF.Sqrt(14), column.Norms[0], 5);
    }
}
