using System.Collections;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class BitVectorTests
{
    [Fact]
    public async Task HammingSearch_RanksByDifferingBits_AndScoresTheCount()
    {
        var collection = await BitsAsync(
            (1, "a", "1111"), (2, "a", "1100"), (3, "b", "0000"), (4, "b", "1110"), (5, "a", "0111"));

        var results = await collection.SearchAsync(BitPatterns.Of("1111"), 5).ToListAsync();

        Assert.Equal([1, 4, 5, 2, 3], results.Select(r => r.Record.Id));
        Assert.Equal([0d, 1, 1, 2, 4], results.Select(r => r.Score!.Value));
    }

    [Fact]
    public async Task HammingSearch_HonoursTopSkipFilterAndThreshold()
    {
        var collection = await BitsAsync(
            (1, "a", "1111"), (2, "a", "1100"), (3, "b", "0000"), (4, "b", "1110"), (5, "a", "0111"), (6, "a", "1000"));
        var query = BitPatterns.Of("1111");

        var page = await collection.SearchAsync(query, 2, new() { Skip = 1 }).Select(r => r.Record.Id).ToListAsync();
        var filtered = await collection.SearchAsync(query, 3, new() { Filter = r => r.Group == "a" }).Select(r => r.Record.Id).ToListAsync();
        var near = await collection.SearchAsync(query, 10, new() { ScoreThreshold = 1 }).Select(r => r.Record.Id).ToListAsync();

        Assert.Equal([4, 5], page);
        Assert.Equal([1, 5, 2], filtered);
        Assert.Equal([1, 4, 5], near);
    }

    [Fact]
    public async Task Vectors_RoundTripWithIncludeVectors_AndStayOutOtherwise()
    {
        // Seventy bits: the second word of storage is a partial one.
        var pattern = "1011" + new string('0', 60) + "001001";
        var collection = await BitsAsync((1, "a", pattern));

        var withVectors = await collection.GetAsync(1, new() { IncludeVectors = true });
        var without = await collection.GetAsync(1);

        Assert.Equal(pattern, BitPatterns.Pattern(withVectors!.Bits!));
        Assert.Null(without!.Bits);
    }

    [Fact]
    public async Task Upsert_StoresACopy_ChangingTheCallerBitsChangesNothing()
    {
        var collection = await BitsAsync();
        var bits = BitPatterns.Of("1100");
        var record = new BitRecord { Id = 1, Group = "a", Bits = bits };
        await collection.UpsertAsync(record);

        bits.SetAll(false);
        bits.Length = 3;
        var read = await collection.GetAsync(1, new() { IncludeVectors = true });
        read!.Bits!.SetAll(true);

        var stored = await collection.GetAsync(1, new() { IncludeVectors = true });
        Assert.Equal(BitPatterns.Pattern(BitPatterns.Of("1100")), BitPatterns.Pattern(stored!.Bits!));
        var hit = await collection.SearchAsync(BitPatterns.Of("1100"), 1).SingleAsync();
        Assert.Equal(0, hit.Score);
    }

    [Fact]
    public async Task Upsert_WithWrongBitCount_ThrowsNamingTheProperty_AndWritesNothing()
    {
        var collection = await BitsAsync((1, "a", "1111"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(
        [
            new BitRecord { Id = 1, Group = "changed", Bits = BitPatterns.Of("0000") },
            new BitRecord { Id = 2, Group = "b", Bits = new BitArray(BitPatterns.Length + 1) },
        ]));

        Assert.Contains("'Bits'", error.Message);
        Assert.Contains($"{BitPatterns.Length + 1} bits", error.Message);
        Assert.Null(await collection.GetAsync(2));
        var kept = await collection.GetAsync(1, new() { IncludeVectors = true });
        Assert.Equal("a", kept!.Group);
        Assert.Equal(BitPatterns.Pattern(BitPatterns.Of("1111")), BitPatterns.Pattern(kept.Bits!));
    }

    [Fact]
    public async Task Search_WithWrongBitCountOrAFloatVector_ThrowsAClearError()
    {
        var collection = await BitsAsync((1, "a", "1111"));

        var length = await Assert.ThrowsAsync<ArgumentException>(() => collection.SearchAsync(new BitArray(5), 1).ToListAsync().AsTask());
        var floats = await Assert.ThrowsAsync<ArgumentException>(() => collection.SearchAsync(new float[BitPatterns.Length], 1).ToListAsync().AsTask());

        Assert.Contains("5 bits", length.Message);
        Assert.Contains("bit vectors", floats.Message);
    }

    [Fact]
    public async Task RecordWithoutBits_IsStoredAndNeverFound()
    {
        var collection = await BitsAsync((1, "a", "1111"));
        await collection.UpsertAsync(new BitRecord { Id = 2, Group = "a", Bits = null });

        var results = await collection.SearchAsync(BitPatterns.Of("0000"), 5).ToListAsync();

        Assert.Equal(1, Assert.Single(results).Record.Id);
        Assert.NotNull(await collection.GetAsync(2));
    }

    [Fact]
    public async Task JaccardSimilarity_ScoresCommonOverUnion_HigherFirst_AndBinaryEmbeddingsRoundTrip()
    {
        var collection = new InMemoryVectorStore().GetCollection<string, BinaryEmbeddingRecord>("jaccard");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            Binary("same", "1100"), Binary("half", "1000"), Binary("third", "1010"), Binary("none", "0011"), Binary("empty", "0000"),
        ]);

        var results = await collection.SearchAsync(new BinaryEmbedding(BitPatterns.Of("1100")), 5).ToListAsync();
        var stored = await collection.GetAsync("third", new() { IncludeVectors = true });

        Assert.Equal(["same", "half", "third"], results.Take(3).Select(r => r.Record.Id));
        Assert.Equal([1d, 0.5], results.Take(2).Select(r => r.Score!.Value));
        Assert.Equal(1d / 3, results[2].Score!.Value, 6);
        Assert.All(results.Skip(3), r => Assert.Equal(0, r.Score));
        Assert.Equal(BitPatterns.Pattern(BitPatterns.Of("1010")), BitPatterns.Pattern(stored!.Embedding!.Vector));
    }

    [Fact]
    public async Task JaccardDistance_IsOneMinusTheSimilarity_LowerFirst()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(string)),
                new VectorStoreVectorProperty("Embedding", typeof(BinaryEmbedding), BitPatterns.Length) { DistanceFunction = InMemoryDistanceFunction.JaccardDistance },
            ],
        };
        var collection = new InMemoryCollection<string, BinaryEmbeddingRecord>("jaccard-distance", new() { Definition = definition });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([Binary("half", "1000"), Binary("same", "1100"), Binary("none", "0011")]);

        var results = await collection.SearchAsync(new BinaryEmbedding(BitPatterns.Of("1100")), 3, new() { ScoreThreshold = 0.6 }).ToListAsync();

        Assert.Equal(["same", "half"], results.Select(r => r.Record.Id));
        Assert.Equal([0d, 0.5], results.Select(r => r.Score!.Value));
    }

    [Fact]
    public async Task DynamicCollection_StoresAndSearchesBitArrays()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(long)),
                new VectorStoreVectorProperty("Bits", typeof(BitArray), BitPatterns.Length),
            ],
        };
        var collection = new InMemoryDynamicCollection("dynamic-bits", new() { Definition = definition });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new Dictionary<string, object?> { ["Id"] = 1L, ["Bits"] = BitPatterns.Of("1") },
            new Dictionary<string, object?> { ["Id"] = 2L, ["Bits"] = BitPatterns.Of("0") },
        ]);

        var hit = await collection.SearchAsync(BitPatterns.Of("0"), 1, new() { IncludeVectors = true }).SingleAsync();

        Assert.Equal(2L, hit.Record["Id"]);
        Assert.Equal(0, hit.Score);
        Assert.IsType<BitArray>(hit.Record["Bits"]);
    }

    [Fact]
    public async Task TextProperty_IsEmbeddedIntoBits_OnUpsertAndOnSearch()
    {
        var generator = new LetterBitsGenerator();
        var collection = new InMemoryVectorStore(new() { EmbeddingGenerator = generator }).GetCollection<string, BitTextRecord>("letters");
        await collection.EnsureCollectionExistsAsync();

        await collection.UpsertAsync([new BitTextRecord { Id = "1", Text = "abc" }, new BitTextRecord { Id = "2", Text = "xyz" }, new BitTextRecord { Id = "3", Text = "abd" }]);
        var results = await collection.SearchAsync("cab", 3).ToListAsync();

        Assert.Equal(2, generator.Calls);
        Assert.Equal(["1", "3", "2"], results.Select(r => r.Record.Id));
        Assert.Equal([0d, 2, 6], results.Select(r => r.Score!.Value));
        Assert.Null(results[0].Record.Text);
    }

    [Fact]
    public async Task BitArrayProperty_IsSearchedByText_ThroughTheGenerator()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(int)),
                new VectorStoreDataProperty("Group", typeof(string)),
                new VectorStoreVectorProperty("Bits", typeof(BitArray), LetterBitsGenerator.Dimensions),
            ],
        };
        var collection = new InMemoryCollection<int, BitRecord>("by-text", new() { Definition = definition, EmbeddingGenerator = new LetterBitsGenerator() });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new BitRecord { Id = 1, Group = "a", Bits = LetterBitsGenerator.Embed("hello") },
            new BitRecord { Id = 2, Group = "a", Bits = LetterBitsGenerator.Embed("world") },
        ]);

        var hit = await collection.SearchAsync("low", 1).SingleAsync();

        Assert.Equal(2, hit.Record.Id);
        Assert.Equal(2, hit.Score);
    }

    [Fact]
    public async Task HybridSearch_FusesHammingRanksWithKeywords()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(int)),
                new VectorStoreDataProperty("Group", typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreVectorProperty("Bits", typeof(BitArray), BitPatterns.Length),
            ],
        };
        var collection = new InMemoryCollection<int, BitRecord>("hybrid-bits", new() { Definition = definition });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new BitRecord { Id = 1, Group = "red", Bits = BitPatterns.Of("1111") },
            new BitRecord { Id = 2, Group = "blue", Bits = BitPatterns.Of("1110") },
            new BitRecord { Id = 3, Group = "blue", Bits = BitPatterns.Of("0000") },
        ]);

        var results = await collection.HybridSearchAsync(BitPatterns.Of("1111"), ["blue"], 3).Select(r => r.Record.Id).ToListAsync();

        Assert.Equal([2, 3, 1], results);
    }

    [Theory]
    [InlineData(DistanceFunction.CosineSimilarity)]
    [InlineData(DistanceFunction.EuclideanDistance)]
    public void BitProperty_WithAFloatDistanceFunction_IsRefused(string distanceFunction)
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(int)),
                new VectorStoreVectorProperty("Bits", typeof(BitArray), 8) { DistanceFunction = distanceFunction },
            ],
        };

        var error = Assert.Throws<NotSupportedException>(() => new InMemoryCollection<int, BitRecord>("refused", new() { Definition = definition }));

        Assert.Contains(distanceFunction, error.Message);
        Assert.Contains(DistanceFunction.HammingDistance, error.Message);
    }

    [Fact]
    public void FloatProperty_WithJaccard_IsRefused()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(string)),
                new VectorStoreVectorProperty("Embedding", typeof(ReadOnlyMemory<float>), 3) { DistanceFunction = InMemoryDistanceFunction.JaccardSimilarity },
            ],
        };

        var error = Assert.Throws<NotSupportedException>(() => new InMemoryCollection<string, Product>("refused", new() { Definition = definition }));

        Assert.Contains(InMemoryDistanceFunction.JaccardSimilarity, error.Message);
    }

    [Theory]
    [InlineData(IndexKind.Flat)]
    [InlineData(IndexKind.Hnsw)]
    public async Task BitProperty_WithAnMevdIndexKind_IsServedByTheExactScan(string indexKind)
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(int)),
                new VectorStoreDataProperty("Group", typeof(string)),
                new VectorStoreVectorProperty("Bits", typeof(BitArray), BitPatterns.Length) { IndexKind = indexKind },
            ],
        };
        var collection = new InMemoryCollection<int, BitRecord>("indexed-" + indexKind, new() { Definition = definition });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([new BitRecord { Id = 1, Bits = BitPatterns.Of("1") }, new BitRecord { Id = 2, Bits = BitPatterns.Of("01") }]);

        var hit = await collection.SearchAsync(BitPatterns.Of("01"), 1).SingleAsync();

        Assert.Equal(2, hit.Record.Id);
    }

    [Fact]
    public void BitProperty_WithAnUnknownIndexKind_IsRefused()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(int)),
                new VectorStoreVectorProperty("Bits", typeof(BitArray), 8) { IndexKind = "BitTree" },
            ],
        };

        var error = Assert.Throws<NotSupportedException>(() => new InMemoryCollection<int, BitRecord>("refused", new() { Definition = definition }));

        Assert.Contains("BitTree", error.Message);
    }

    [Fact]
    public async Task Search_OverManyChunksInParallel_MatchesBruteForce()
    {
        const int rows = 40_000;
        var random = new Random(11);
        var patterns = Enumerable.Range(0, rows)
            .Select(_ => new string([.. Enumerable.Range(0, BitPatterns.Length).Select(_ => random.Next(2) == 1 ? '1' : '0')]))
            .ToArray();
        var collection = await BitsAsync([.. patterns.Select((p, i) => (i, i % 3 == 0 ? "a" : "b", p))]);
        var query = patterns[123];

        var found = await collection.SearchAsync(BitPatterns.Of(query), 10, new() { Skip = 2, Filter = r => r.Group == "a" })
            .Select(r => (r.Record.Id, (int)r.Score!.Value))
            .ToListAsync();

        var expected = Enumerable.Range(0, rows)
            .Where(i => i % 3 == 0)
            .Select(i => (Id: i, Distance: patterns[i].Zip(query).Count(p => p.First != p.Second)))
            .OrderBy(r => r.Distance)
            .ThenBy(r => r.Id)
            .Skip(2)
            .Take(10);
        Assert.Equal(expected, found);
    }

    private static BinaryEmbeddingRecord Binary(string id, string pattern) => new() { Id = id, Embedding = new BinaryEmbedding(BitPatterns.Of(pattern)) };

    private static async Task<InMemoryCollection<int, BitRecord>> BitsAsync(params (int Id, string Group, string Pattern)[] records)
    {
        var collection = new InMemoryVectorStore().GetCollection<int, BitRecord>("bits-" + Guid.NewGuid().ToString("N"));
        await collection.EnsureCollectionExistsAsync();
        if (records.Length > 0)
        {
            await collection.UpsertAsync(records.Select(r => new BitRecord { Id = r.Id, Group = r.Group, Bits = BitPatterns.Of(r.Pattern) }));
        }

        return collection;
    }
}
