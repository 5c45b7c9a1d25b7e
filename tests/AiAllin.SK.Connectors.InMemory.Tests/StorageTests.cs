namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class StorageTests
{
    private const int ChunkRows = ChunkedVectorColumn<float>.ChunkRows;

    [Fact]
    public async Task DeletedSlots_AreReused_SoStorageDoesNotGrow()
    {
        var store = new InMemoryVectorStore();
        var collection = await Stores.ProductsAsync(store);
        await collection.UpsertAsync(Enumerable.Range(0, 100).Select(i => Stores.Product($"old{i}", i, i, 1, 0)));
        var data = store.GetCollectionData(collection.Name)!;
        var capacity = data.Capacity;
        var block = Column(data).DataChunks[0];

        await collection.DeleteAsync(Enumerable.Range(0, 100).Where(i => i % 2 == 0).Select(i => $"old{i}"));
        await collection.UpsertAsync(Enumerable.Range(0, 50).Select(i => Stores.Product($"new{i}", i, 0, 0, i + 1)));

        Assert.Equal(100, data.HighWater);
        Assert.Equal(capacity, data.Capacity);
        Assert.Same(block, Column(data).DataChunks[0]);
        Assert.Equal(100, data.Count);
        var hit = await collection.SearchAsync(new ReadOnlyMemory<float>([0, 0, 1]), 1).SingleAsync();
        Assert.StartsWith("new", hit.Record.Id);
    }

    [Fact]
    public async Task Vectors_AreStoredRowAfterRowInAChunk()
    {
        var store = new InMemoryVectorStore();
        var collection = await Stores.ProductsAsync(store);

        await collection.UpsertAsync([Stores.Product("a", 1, 1, 2, 3), Stores.Product("b", 2, 4, 5, 6)]);

        var column = Column(store.GetCollectionData(collection.Name)!);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], column.DataChunks[0].Take(6));
        Assert.Equal(MathF.Sqrt(14), column.Aux(0), 5);
    }

    [Fact]
    public async Task Growing_AddsChunks_AndKeepsEarlierChunksInPlace()
    {
        var store = new InMemoryVectorStore();
        var collection = await Stores.ProductsAsync(store);
        await collection.UpsertAsync(Enumerable.Range(0, ChunkRows).Select(i => Stores.Product($"p{i}", i, i, 1, 0)));
        var column = Column(store.GetCollectionData(collection.Name)!);
        var first = column.DataChunks[0];

        await collection.UpsertAsync(Enumerable.Range(ChunkRows, ChunkRows + 10).Select(i => Stores.Product($"p{i}", i, i, 1, 0)));

        Assert.Equal(3, column.DataChunks.Length);
        Assert.Same(first, column.DataChunks[0]);
        Assert.All(column.DataChunks, chunk => Assert.Equal(ChunkRows * 3, chunk.Length));
        Assert.Equal([(float)ChunkRows, 1f, 0f], column.Row(ChunkRows).ToArray());
    }

    [Fact]
    public async Task Search_AcrossChunkBoundaries_FindsRowsInEveryChunk()
    {
        var store = new InMemoryVectorStore();
        var collection = await Stores.ProductsAsync(store);
        var count = (2 * ChunkRows) + 5;
        int[] special = [5, ChunkRows + 5, (2 * ChunkRows) + 3];
        await collection.UpsertAsync(Enumerable.Range(0, count).Select(i => Array.IndexOf(special, i) is var s and >= 0
            ? Stores.Product($"p{i}", i, 0, s / 10f, 1)
            : Stores.Product($"p{i}", i, 1, 0, 0)));
        await collection.DeleteAsync($"p{count - 1}");

        var nearest = await collection.SearchAsync(new ReadOnlyMemory<float>([0, 0, 1]), 3).Select(r => r.Record.Price).ToListAsync();
        var filtered = await collection.SearchAsync(new ReadOnlyMemory<float>([0, 0, 1]), 3, new() { Filter = p => p.Price > ChunkRows })
            .Select(r => r.Record.Price)
            .ToListAsync();

        Assert.Equal(special, nearest);
        Assert.Equal(special[1..], filtered.Take(2));
    }

    private static FloatVectorColumn Column(InMemoryCollectionData data) => (FloatVectorColumn)data.Vectors[0];
}
