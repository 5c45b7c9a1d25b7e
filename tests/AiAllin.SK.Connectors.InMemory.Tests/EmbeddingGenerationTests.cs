using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class EmbeddingGenerationTests
{
    [Fact]
    public async Task TextVectorProperty_IsEmbeddedOnUpsertAndOnSearch_WithTheStoreGenerator()
    {
        var generator = new HashEmbeddingGenerator(3);
        var collection = new InMemoryVectorStore(new() { EmbeddingGenerator = generator }).GetCollection<string, TextRecord>("texts");
        await collection.EnsureCollectionExistsAsync();
        var (first, second) = DistinctWords(3);

        await collection.UpsertAsync([new TextRecord { Id = "1", Text = first }, new TextRecord { Id = "2", Text = second }]);
        var results = await collection.SearchAsync(second, 2).ToListAsync();

        Assert.Equal(2, generator.Calls);
        Assert.Equal("2", results[0].Record.Id);
        Assert.Equal(1.0, results[0].Score!.Value, 5);
        Assert.Null(results[0].Record.Text);
        Assert.Null((await collection.GetAsync("1"))!.Text);
    }

    [Fact]
    public async Task ComputedTextVectorProperty_IsEmbedded_AndRecordsReadBackWithoutSettingIt()
    {
        var collection = new InMemoryVectorStore(new() { EmbeddingGenerator = new HashEmbeddingGenerator(3) })
            .GetCollection<string, ComputedVectorRecord>("computed");
        await collection.EnsureCollectionExistsAsync();
        var (first, second) = DistinctWords(3);

        await collection.UpsertAsync([new ComputedVectorRecord { Id = "1", Text = first }, new ComputedVectorRecord { Id = "2", Text = second }]);
        var search = await collection.SearchAsync(second, 2).ToListAsync();
        var hybrid = await ((IKeywordHybridSearchable<ComputedVectorRecord>)collection).HybridSearchAsync(first, [first], 1).ToListAsync();

        Assert.Equal(["2", "1"], search.Select(r => r.Record.Id));
        Assert.Equal(second, search[0].Record.Embedding);
        Assert.Equal("1", Assert.Single(hybrid).Record.Id);
        Assert.Equal(first, (await collection.GetAsync("1"))!.Text);
    }

    [Fact]
    public async Task CollectionGenerator_OverridesTheStoreOne_AndPropertyGenerator_OverridesBoth()
    {
        var wrongGenerator = new HashEmbeddingGenerator(3);
        var propertyGenerator = new HashEmbeddingGenerator(3);
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(string)),
                new VectorStoreVectorProperty("Text", typeof(string), 3) { EmbeddingGenerator = propertyGenerator },
            ],
        };
        var collection = new InMemoryCollection<string, TextRecord>("texts", new() { Definition = definition, EmbeddingGenerator = wrongGenerator });
        await collection.EnsureCollectionExistsAsync();

        await collection.UpsertAsync(new TextRecord { Id = "1", Text = "hello" });
        await collection.SearchAsync("hello", 1).ToListAsync();

        Assert.Equal(0, wrongGenerator.Calls);
        Assert.Equal(2, propertyGenerator.Calls);
    }

    [Fact]
    public async Task IncludeVectors_WithEmbeddingGeneration_IsNotSupported()
    {
        var collection = new InMemoryCollection<string, TextRecord>("texts", new() { EmbeddingGenerator = new HashEmbeddingGenerator(3) });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(new TextRecord { Id = "1", Text = "hello" });

        await Assert.ThrowsAsync<NotSupportedException>(() => collection.GetAsync("1", new() { IncludeVectors = true }));
    }

    [Fact]
    public async Task GeneratedEmbedding_OfTheWrongDimension_ThrowsAndStoresNothing()
    {
        var collection = new InMemoryCollection<string, TextRecord>("texts", new() { EmbeddingGenerator = new HashEmbeddingGenerator(4) });
        await collection.EnsureCollectionExistsAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(new TextRecord { Id = "1", Text = "hello" }));

        Assert.Contains("Text", error.Message);
        Assert.Null(await collection.GetAsync("1"));
    }

    [Fact]
    public async Task TextSearch_OnANativeVectorProperty_UsesTheGenerator()
    {
        var generator = new HashEmbeddingGenerator(3);
        var collection = new InMemoryVectorStore(new() { EmbeddingGenerator = generator }).GetCollection<string, Product>("products");
        await collection.EnsureCollectionExistsAsync();
        var (first, second) = DistinctWords(3);
        await collection.UpsertAsync(
        [
            Stores.Product("a", 1, HashEmbeddingGenerator.Embed(first, 3)),
            Stores.Product("b", 2, HashEmbeddingGenerator.Embed(second, 3)),
        ]);

        var results = await collection.SearchAsync(first, 1).ToListAsync();

        Assert.Equal("a", Assert.Single(results).Record.Id);
    }

    [Fact]
    public async Task TextSearch_WithoutAGenerator_IsNotSupported()
    {
        var collection = await Stores.ProductsAsync();

        await Assert.ThrowsAsync<NotSupportedException>(() => collection.SearchAsync("text", 1).ToListAsync().AsTask());
    }

    /// <summary>Two words whose hashes land on different dimensions, so their embeddings are orthogonal.</summary>
    private static (string First, string Second) DistinctWords(int dimensions)
    {
        string[] words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
        var first = words[0];
        var firstVector = HashEmbeddingGenerator.Embed(first, dimensions);
        var second = words.First(w => Array.IndexOf(HashEmbeddingGenerator.Embed(w, dimensions), 1f) != Array.IndexOf(firstVector, 1f));
        return (first, second);
    }
}
