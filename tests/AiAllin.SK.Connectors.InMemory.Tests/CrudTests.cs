using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class CrudTests
{
    [Fact]
    public async Task Upsert_StoresACopy_MutatingTheCallerObjectChangesNothing()
    {
        var collection = await Stores.ProductsAsync();
        var vector = new float[] { 1, 2, 3 };
        var product = Stores.Product("a", 10, vector);

        await collection.UpsertAsync(product);
        product.Name = "changed";
        product.Price = 99;
        product.Tags.Add("added");
        vector[0] = 100;

        var stored = await collection.GetAsync("a", new() { IncludeVectors = true });
        Assert.NotNull(stored);
        Assert.Equal("name-a", stored.Name);
        Assert.Equal(10, stored.Price);
        Assert.Equal(["a", "all"], stored.Tags);
        Assert.Equal([1f, 2f, 3f], stored.Embedding.ToArray());
    }

    [Fact]
    public async Task Get_ReturnsACopy_MutatingTheResultChangesNothing()
    {
        var collection = await Stores.ProductsAsync();
        await collection.UpsertAsync(Stores.Product("a", 10, 1, 2, 3));

        var first = await collection.GetAsync("a", new() { IncludeVectors = true });
        first!.Name = "changed";
        first.Tags.Clear();
        System.Runtime.InteropServices.MemoryMarshal.AsMemory(first.Embedding).Span[0] = 42;

        var second = await collection.GetAsync("a", new() { IncludeVectors = true });
        Assert.NotSame(first, second);
        Assert.Equal("name-a", second!.Name);
        Assert.Equal(["a", "all"], second.Tags);
        Assert.Equal(1f, second.Embedding.Span[0]);
    }

    [Fact]
    public async Task Get_WithoutIncludeVectors_LeavesVectorEmpty()
    {
        var collection = await Stores.ProductsAsync();
        await collection.UpsertAsync(Stores.Product("a", 10, 1, 2, 3));

        var stored = await collection.GetAsync("a");

        Assert.True(stored!.Embedding.IsEmpty);
        Assert.Equal(10, stored.Price);
    }

    [Fact]
    public async Task UpsertBatch_WithOneWrongDimension_ThrowsNamingThePropertyAndWritesNothing()
    {
        var collection = await Stores.ProductsAsync();
        await collection.UpsertAsync(Stores.Product("existing", 1, 1, 0, 0));

        var batch = new[]
        {
            Stores.Product("existing", 2, 0, 1, 0),
            Stores.Product("new-1", 3, 0, 0, 1),
            Stores.Product("bad", 4, 1, 1),
        };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(batch));

        Assert.Contains("Embedding", error.Message);
        Assert.Contains("2 dimensions", error.Message);
        Assert.Contains("expects 3", error.Message);
        var all = await collection.GetAsync(_ => true, 10, new() { IncludeVectors = true }).ToListAsync();
        var only = Assert.Single(all);
        Assert.Equal("existing", only.Id);
        Assert.Equal(1, only.Price);
        Assert.Equal([1f, 0f, 0f], only.Embedding.ToArray());
    }

    [Fact]
    public async Task Upsert_WithWrongDimension_ThrowsAndKeepsData()
    {
        var collection = await Stores.ProductsAsync();
        await collection.UpsertAsync(Stores.Product("a", 1, 1, 2, 3));

        await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(Stores.Product("a", 2, 1, 2, 3, 4)));

        var stored = await collection.GetAsync("a", new() { IncludeVectors = true });
        Assert.Equal(1, stored!.Price);
        Assert.Equal([1f, 2f, 3f], stored.Embedding.ToArray());
    }

    [Fact]
    public async Task UpsertBatch_WithANullKey_ThrowsAndWritesNothing()
    {
        var collection = await Stores.ProductsAsync();
        var batch = new[] { Stores.Product("a", 1, 1, 2, 3), new Product { Id = null!, Embedding = new float[] { 1, 2, 3 } } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(batch));

        Assert.Contains("null key", error.Message);
        Assert.Empty(await collection.GetAsync(_ => true, 10).ToListAsync());
    }

    [Fact]
    public async Task Search_WithWrongDimension_ThrowsNamingExpectedAndActual()
    {
        var collection = await Stores.ProductsAsync();
        await collection.UpsertAsync(Stores.Product("a", 1, 1, 2, 3));

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => collection.SearchAsync(new ReadOnlyMemory<float>([1, 2]), 1).ToListAsync().AsTask());

        Assert.Contains("2 dimensions", error.Message);
        Assert.Contains("Embedding", error.Message);
    }

    [Fact]
    public async Task Operations_OnACollectionThatDoesNotExist_ThrowVectorStoreException()
    {
        var collection = new InMemoryVectorStore().GetCollection<string, Product>("missing");

        Assert.False(await collection.CollectionExistsAsync());
        await Assert.ThrowsAsync<VectorStoreException>(() => collection.UpsertAsync(Stores.Product("a", 1, 1, 2, 3)));
        await Assert.ThrowsAsync<VectorStoreException>(() => collection.GetAsync("a"));
        await Assert.ThrowsAsync<VectorStoreException>(() => collection.DeleteAsync("a"));
        await Assert.ThrowsAsync<VectorStoreException>(
            () => collection.SearchAsync(new ReadOnlyMemory<float>([1, 2, 3]), 1).ToListAsync().AsTask());
        Assert.False(await collection.CollectionExistsAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\there")]
    [InlineData("new\nline")]
    public void GetCollection_WithABadName_ThrowsArgumentException(string name)
        => Assert.ThrowsAny<ArgumentException>(() => new InMemoryVectorStore().GetCollection<string, Product>(name));

    [Fact]
    public void GetCollection_WithAnAbsurdlyLongName_ThrowsArgumentException()
        => Assert.ThrowsAny<ArgumentException>(() => new InMemoryVectorStore().GetCollection<string, Product>(new string('a', 257)));

    [Fact]
    public void GetCollection_WithAnUnsupportedDataType_ThrowsNamingTheProperty()
    {
        var error = Assert.ThrowsAny<Exception>(() => new InMemoryVectorStore().GetCollection<string, UnsupportedDataRecord>("c"));

        Assert.Contains("Link", error.Message);
    }

    [Fact]
    public void GetCollection_WithAnUnsupportedVectorType_Throws()
    {
        var error = Assert.ThrowsAny<Exception>(() => new InMemoryVectorStore().GetCollection<string, DoubleVectorRecord>("c"));

        Assert.Contains("Vector", error.Message);
    }

    [Fact]
    public async Task CollectionsWithTheSameName_InOneStore_ShareData()
    {
        var store = new InMemoryVectorStore();
        var first = store.GetCollection<string, Product>("shared");
        await first.EnsureCollectionExistsAsync();
        await first.UpsertAsync(Stores.Product("a", 5, 1, 2, 3));

        var second = store.GetCollection<string, Product>("shared");
        var dynamic = store.GetDynamicCollection("shared", ProductDefinition());

        Assert.Equal(5, (await second.GetAsync("a"))!.Price);
        Assert.Equal(5, (await dynamic.GetAsync("a"))!["Price"]);
        Assert.Equal(["shared"], await store.ListCollectionNamesAsync().ToListAsync());
        Assert.False(await new InMemoryVectorStore().CollectionExistsAsync("shared"));
    }

    [Fact]
    public async Task DeleteCollection_ThenRecreate_StartsEmpty()
    {
        var store = new InMemoryVectorStore();
        var collection = store.GetCollection<string, Product>("c");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Stores.Product("a", 5, 1, 2, 3));

        await store.EnsureCollectionDeletedAsync("c");
        Assert.False(await collection.CollectionExistsAsync());
        await collection.EnsureCollectionExistsAsync();

        Assert.Null(await collection.GetAsync("a"));
    }

    [Fact]
    public async Task GuidKey_WhenEmpty_IsGeneratedAndWrittenBack()
    {
        var collection = new InMemoryVectorStore().GetCollection<Guid, GuidRecord>("guids");
        await collection.EnsureCollectionExistsAsync();
        var record = new GuidRecord { Text = "x", Vector = [1, 2] };

        await collection.UpsertAsync(record);

        Assert.NotEqual(Guid.Empty, record.Id);
        var stored = await collection.GetAsync(record.Id, new() { IncludeVectors = true });
        Assert.Equal("x", stored!.Text);
        Assert.Equal([1f, 2f], stored.Vector!);
    }

    [Fact]
    public async Task LongKey_WithEmbeddingVector_RoundTrips()
    {
        var collection = new InMemoryVectorStore().GetCollection<long, LongRecord>("longs");
        await collection.EnsureCollectionExistsAsync();

        await collection.UpsertAsync([new LongRecord { Id = 1L << 40, Score = 0.5, Vector = new(new float[] { 3, 4 }) }, new LongRecord { Id = 2, Score = 1 }]);

        var stored = await collection.GetAsync(1L << 40, new() { IncludeVectors = true });
        Assert.Equal(0.5, stored!.Score);
        Assert.Equal([3f, 4f], stored.Vector!.Vector.ToArray());
        var withoutVector = await collection.GetAsync(2, new() { IncludeVectors = true });
        Assert.Null(withoutVector!.Vector);
        var hits = await collection.SearchAsync(new ReadOnlyMemory<float>([3, 4]), 5).ToListAsync();
        Assert.Equal(1L << 40, Assert.Single(hits).Record.Id);
    }

    [Fact]
    public async Task DeleteBatch_RemovesOnlyTheGivenKeys()
    {
        var collection = await Stores.ProductsAsync();
        await collection.UpsertAsync([Stores.Product("a", 1, 1, 0, 0), Stores.Product("b", 2, 0, 1, 0), Stores.Product("c", 3, 0, 0, 1)]);

        await collection.DeleteAsync(["a", "c", "missing"]);

        var remaining = await collection.GetAsync(["a", "b", "c"]).ToListAsync();
        Assert.Equal("b", Assert.Single(remaining).Id);
        var hits = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 0, 0]), 10).ToListAsync();
        Assert.Equal("b", Assert.Single(hits).Record.Id);
    }

    [Fact]
    public async Task GetByFilter_OrdersByMultipleKeysWithSkipAndTop()
    {
        var collection = await Stores.ProductsAsync();
        await collection.UpsertAsync(
        [
            Stores.Product("a", 3, 1, 0, 0),
            Stores.Product("b", 1, 1, 0, 0),
            Stores.Product("c", 3, 1, 0, 0),
            Stores.Product("d", 2, 1, 0, 0),
        ]);

        var ids = await collection.GetAsync(
                p => p.Price > 1,
                2,
                new() { OrderBy = o => o.Descending(p => p.Price).Ascending(p => p.Id), Skip = 1 })
            .Select(p => p.Id)
            .ToListAsync();

        Assert.Equal(["c", "d"], ids);
    }

    [Fact]
    public async Task DynamicCollection_RoundTripsAndRejectsAValueOfTheWrongType()
    {
        var collection = new InMemoryVectorStore().GetDynamicCollection("dynamic", ProductDefinition());
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(new Dictionary<string, object?>
        {
            ["Id"] = "a",
            ["Name"] = "apple",
            ["Price"] = 3,
            ["Embedding"] = new ReadOnlyMemory<float>([1, 0, 0]),
        });

        var bad = new Dictionary<string, object?> { ["Id"] = "b", ["Name"] = "pear", ["Price"] = "three", ["Embedding"] = new ReadOnlyMemory<float>([0, 1, 0]) };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(bad));

        Assert.Contains("Price", error.Message);
        var stored = await collection.GetAsync("a", new() { IncludeVectors = true });
        Assert.Equal("apple", stored!["Name"]);
        Assert.Equal(3, stored["Price"]);
        Assert.Equal([1f, 0f, 0f], ((ReadOnlyMemory<float>)stored["Embedding"]!).ToArray());
        Assert.Null(await collection.GetAsync("b"));
        var hits = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 0, 0]), 1, new() { Filter = r => (int)r["Price"]! == 3 }).ToListAsync();
        Assert.Equal("a", Assert.Single(hits).Record["Id"]);
    }

    [Fact]
    public async Task DynamicCollection_WithAKeyOfTheWrongType_ThrowsNamingTheKeyAndWritesNothing()
    {
        var collection = new InMemoryVectorStore().GetDynamicCollection("dynamic", ProductDefinition());
        await collection.EnsureCollectionExistsAsync();
        var good = new Dictionary<string, object?> { ["Id"] = "a", ["Price"] = 1, ["Embedding"] = new ReadOnlyMemory<float>([1, 0, 0]) };
        var bad = new Dictionary<string, object?> { ["Id"] = 5, ["Price"] = 2, ["Embedding"] = new ReadOnlyMemory<float>([0, 1, 0]) };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync([good, bad]));

        Assert.Contains("'Id'", error.Message);
        Assert.Empty(await collection.GetAsync(_ => true, 10).ToListAsync());
    }

    internal static VectorStoreCollectionDefinition ProductDefinition() => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("Id", typeof(string)),
            new VectorStoreDataProperty("Name", typeof(string)),
            new VectorStoreDataProperty("Price", typeof(int)),
            new VectorStoreDataProperty("InStock", typeof(bool)),
            new VectorStoreDataProperty("Tags", typeof(List<string>)),
            new VectorStoreVectorProperty("Embedding", typeof(ReadOnlyMemory<float>), 3),
        ],
    };
}
