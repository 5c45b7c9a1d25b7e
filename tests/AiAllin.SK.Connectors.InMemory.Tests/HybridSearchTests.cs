using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class HybridSearchTests
{
    // Vector ranks for [1,0] by cosine: d1 (1.0), d2 (0.994), d4 (0.707), d3 (0.0).
    // BM25 ranks for "dog": d2 (3 words) above d3 (5 words); d1 and d4 do not match.
    // Fused (k = 60): d2 = 1/62 + 1/61, d3 = 1/64 + 1/62, d1 = 1/61, d4 = 1/63.
    [Fact]
    public async Task HybridSearch_FusesVectorAndKeywordRanks()
    {
        var collection = await CreateAsync();

        var results = await collection.HybridSearchAsync(new ReadOnlyMemory<float>([1, 0]), ["Dog"], 4).ToListAsync();

        Assert.Equal([2, 3, 1, 4], results.Select(r => r.Record.Id));
        Assert.Equal((1 / 62.0) + (1 / 61.0), results[0].Score!.Value, 9);
        Assert.Equal((1 / 64.0) + (1 / 62.0), results[1].Score!.Value, 9);
        Assert.Equal(1 / 61.0, results[2].Score!.Value, 9);
        Assert.Equal(1 / 63.0, results[3].Score!.Value, 9);
    }

    [Fact]
    public async Task HybridSearch_WithSkipTopAndFilter_PagesTheFusedRanking()
    {
        var collection = await CreateAsync();

        var paged = await collection.HybridSearchAsync(new ReadOnlyMemory<float>([1, 0]), ["dog"], 2, new() { Skip = 1 }).ToListAsync();
        var filtered = await collection.HybridSearchAsync(new ReadOnlyMemory<float>([1, 0]), ["dog"], 4, new() { Filter = d => d.Id != 2 }).ToListAsync();

        Assert.Equal([3, 1], paged.Select(r => r.Record.Id));
        Assert.Equal([3, 1, 4], filtered.Select(r => r.Record.Id));
    }

    [Fact]
    public async Task HybridSearch_WithNoMatchingKeyword_RanksByVector()
    {
        var collection = await CreateAsync();

        var results = await collection.HybridSearchAsync(new ReadOnlyMemory<float>([1, 0]), ["zebra"], 4).ToListAsync();

        Assert.Equal([1, 2, 4, 3], results.Select(r => r.Record.Id));
    }

    [Fact]
    public async Task HybridSearch_WithTwoFullTextProperties_SearchesTheChosenOneAndRequiresAChoice()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(int)),
                new VectorStoreDataProperty("Title", typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreDataProperty("Body", typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 2),
            ],
        };
        var collection = new InMemoryDynamicCollection("two-texts", new() { Definition = definition });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new() { ["Id"] = 1, ["Title"] = "apples", ["Body"] = "pears", ["Vector"] = new ReadOnlyMemory<float>([1, 0]) },
            new() { ["Id"] = 2, ["Title"] = "pears", ["Body"] = "apples", ["Vector"] = new ReadOnlyMemory<float>([1, 0]) },
        ]);

        var byBody = await collection.HybridSearchAsync(new ReadOnlyMemory<float>([1, 0]), ["apples"], 2, new() { AdditionalProperty = r => r["Body"] }).ToListAsync();

        Assert.Equal([2, 1], byBody.Select(r => (int)r.Record["Id"]!));
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => collection.HybridSearchAsync(new ReadOnlyMemory<float>([1, 0]), ["apples"], 2).ToListAsync().AsTask());
    }

    private static async Task<InMemoryCollection<int, Document>> CreateAsync()
    {
        var collection = new InMemoryVectorStore().GetCollection<int, Document>("docs");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new Document { Id = 1, Text = "the quick brown fox", Vector = new([1, 0]) },
            new Document { Id = 2, Text = "lazy dog sleeps", Vector = new([0.9f, 0.1f]) },
            new Document { Id = 3, Text = "a dog and a fox", Vector = new([0, 1]) },
            new Document { Id = 4, Text = "cat", Vector = new([0.7f, 0.7f]) },
        ]);
        return collection;
    }
}
