using AiAllin.SK.Testing.Conditional;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Vector search: every distance function with scores checked against <see cref="ReferenceScores"/>, Top, Skip,
/// ScoreThreshold in the direction of the function, IncludeVectors, filters, query types and vector property choice.
/// </summary>
public abstract class SearchConformance<TKey> : VectorStoreConformanceBase<TKey>
    where TKey : notnull
{
    /// <summary>
    /// Rank differently under every distance function and never tie: same direction, orthogonal and long,
    /// opposite, and off-axis and long.
    /// </summary>
    private static readonly float[] Query = [1, 0, 0];
    private static readonly float[][] Vectors = [[1, 0, 0], [0, 2, 0], [-1, 0, 0], [3, 4, 0]];
    private const double Precision = 1e-4;

    [ConformanceTheory]
    [InlineData(DistanceFunction.CosineSimilarity)]
    [InlineData(DistanceFunction.CosineDistance)]
    [InlineData(DistanceFunction.DotProductSimilarity)]
    [InlineData(DistanceFunction.NegativeDotProductSimilarity)]
    [InlineData(DistanceFunction.EuclideanDistance)]
    [InlineData(DistanceFunction.EuclideanSquaredDistance)]
    public async Task Search_RanksByDistanceFunctionWithExactScores(string distanceFunction)
    {
        if (!TestStore.SupportedDistanceFunctions.Contains(distanceFunction))
        {
            await AssertRejectedAsync(distanceFunction);
            return;
        }

        var (collection, records) = await SeedAsync(distanceFunction);

        var results = await collection.SearchAsync(new ReadOnlyMemory<float>(Query), top: records.Count).ToListAsync();

        var expected = Expected(distanceFunction, records);
        Assert.Equal(expected.Select(e => e.Record.Number), results.Select(r => r.Record.Number));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.NotNull(results[i].Score);
            Assert.Equal(expected[i].Score, results[i].Score!.Value, Precision);
        }
    }

    [ConformanceTheory]
    [InlineData(DistanceFunction.CosineSimilarity)]
    [InlineData(DistanceFunction.CosineDistance)]
    [InlineData(DistanceFunction.DotProductSimilarity)]
    [InlineData(DistanceFunction.NegativeDotProductSimilarity)]
    [InlineData(DistanceFunction.EuclideanDistance)]
    [InlineData(DistanceFunction.EuclideanSquaredDistance)]
    public async Task Search_TopAndSkip_PageThroughTheRanking(string distanceFunction)
    {
        if (!TestStore.SupportedDistanceFunctions.Contains(distanceFunction))
        {
            await AssertRejectedAsync(distanceFunction);
            return;
        }

        var (collection, records) = await SeedAsync(distanceFunction);
        var ranking = Expected(distanceFunction, records).Select(e => e.Record.Number).ToList();

        for (var skip = 0; skip <= records.Count; skip++)
        {
            for (var top = 1; top <= records.Count; top++)
            {
                var page = await collection.SearchAsync(new ReadOnlyMemory<float>(Query), top, new() { Skip = skip })
                    .Select(r => r.Record.Number).ToListAsync();
                Assert.Equal(ranking.Skip(skip).Take(top), page);
            }
        }
    }

    [ConformanceTheory]
    [InlineData(DistanceFunction.CosineSimilarity)]
    [InlineData(DistanceFunction.CosineDistance)]
    [InlineData(DistanceFunction.DotProductSimilarity)]
    [InlineData(DistanceFunction.NegativeDotProductSimilarity)]
    [InlineData(DistanceFunction.EuclideanDistance)]
    [InlineData(DistanceFunction.EuclideanSquaredDistance)]
    public async Task Search_ScoreThreshold_DropsResultsOnTheFarSide(string distanceFunction)
    {
        if (!TestStore.SupportedDistanceFunctions.Contains(distanceFunction))
        {
            await AssertRejectedAsync(distanceFunction);
            return;
        }

        var (collection, records) = await SeedAsync(distanceFunction);
        var expected = Expected(distanceFunction, records);

        // Halfway between the second and third best scores: for similarities the threshold is a floor, for distances a ceiling.
        var threshold = (expected[1].Score + expected[2].Score) / 2;
        var results = await collection.SearchAsync(new ReadOnlyMemory<float>(Query), top: records.Count, new() { ScoreThreshold = threshold })
            .ToListAsync();

        Assert.Equal(expected.Take(2).Select(e => e.Record.Number), results.Select(r => r.Record.Number));
    }

    [ConformanceFact]
    public async Task Search_IncludeVectors_ReturnsVectorsOnlyWhenAsked()
    {
        var (collection, records) = await SeedAsync(DistanceFunction.CosineSimilarity);

        var without = await collection.SearchAsync(new ReadOnlyMemory<float>(Query), top: records.Count).ToListAsync();
        var with = await collection.SearchAsync(new ReadOnlyMemory<float>(Query), top: records.Count, new() { IncludeVectors = true }).ToListAsync();

        Assert.All(without, r => Assert.Equal(0, r.Record.Vector.Length));
        Assert.Equal(records.Count, with.Count);
        Assert.All(with, r => Assert.Equal(records.Single(s => s.Number == r.Record.Number).Vector.ToArray(), r.Record.Vector.ToArray()));
        Assert.All(with, r => Assert.Equal(records.Single(s => s.Number == r.Record.Number).Text, r.Record.Text));
    }

    [ConformanceFact]
    public async Task Search_WithFilter_RanksOnlyMatchingRecords()
    {
        var (collection, records) = await SeedAsync(DistanceFunction.CosineSimilarity);

        var results = await collection.SearchAsync(
            new ReadOnlyMemory<float>(Query),
            top: records.Count,
            new() { Filter = r => r.Number != 0 && r.Number != 3 }).Select(r => r.Record.Number).ToListAsync();

        Assert.Equal([1, 2], results);
    }

    [ConformanceFact]
    public async Task Search_TopLargerThanCollection_ReturnsEveryRecord()
    {
        var (collection, records) = await SeedAsync(DistanceFunction.CosineSimilarity);

        var results = await collection.SearchAsync(new ReadOnlyMemory<float>(Query), top: 100).ToListAsync();

        Assert.Equal(records.Count, results.Count);
    }

    [ConformanceFact]
    public async Task Search_EmptyCollection_ReturnsNothing()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("search", ConformanceDefinition(3, DistanceFunction.CosineSimilarity));

        Assert.Empty(await collection.SearchAsync(new ReadOnlyMemory<float>(Query), top: 5).ToListAsync());
    }

    [ConformanceFact]
    public async Task Search_FloatArrayAndEmbeddingQueries_MatchReadOnlyMemoryQuery()
    {
        var (collection, records) = await SeedAsync(DistanceFunction.CosineSimilarity);
        var query = new float[] { 0.6f, 0.8f, 0 };

        var fromMemory = await collection.SearchAsync(new ReadOnlyMemory<float>(query), top: records.Count).ToListAsync();
        var fromArray = await collection.SearchAsync(query, top: records.Count).ToListAsync();
        var fromEmbedding = await collection.SearchAsync(new Embedding<float>(query), top: records.Count).ToListAsync();

        Assert.Equal(fromMemory.Select(r => (r.Record.Number, r.Score)), fromArray.Select(r => (r.Record.Number, r.Score)));
        Assert.Equal(fromMemory.Select(r => (r.Record.Number, r.Score)), fromEmbedding.Select(r => (r.Record.Number, r.Score)));
    }

    [ConformanceFact]
    public async Task Search_WithVectorProperty_SearchesThatVector()
    {
        var collection = await CreateCollectionAsync<TwoVectorRecord<TKey>>("twovec", TwoVectorDefinition());
        await collection.UpsertAsync(
        [
            new() { Key = NewKey(), Code = 1, First = new([1, 0]), Second = new([0, 1]) },
            new() { Key = NewKey(), Code = 2, First = new([0, 1]), Second = new([1, 0]) },
        ]);

        var byFirst = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 0]), top: 1, new() { VectorProperty = r => r.First }).SingleAsync();
        var bySecond = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 0]), top: 1, new() { VectorProperty = r => r.Second }).SingleAsync();

        Assert.Equal(1, byFirst.Record.Code);
        Assert.Equal(2, bySecond.Record.Code);
    }

    [ConformanceFact]
    public async Task Search_TwoVectorsWithoutVectorProperty_Throws()
    {
        var collection = await CreateCollectionAsync<TwoVectorRecord<TKey>>("twovec", TwoVectorDefinition());
        await collection.UpsertAsync(new TwoVectorRecord<TKey> { Key = NewKey(), Code = 1, First = new([1, 0]), Second = new([0, 1]) });

        await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await collection.SearchAsync(new ReadOnlyMemory<float>([1, 0]), top: 1).ToListAsync());
    }

    [ConformanceFact]
    public async Task FloatArrayAndEmbeddingVectorProperties_RoundTripAndSearch()
    {
        var collection = await CreateCollectionAsync<VectorTypesRecord<TKey>>("vectypes", new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(VectorTypesRecord<TKey>.Key), typeof(TKey)),
                new VectorStoreDataProperty(nameof(VectorTypesRecord<TKey>.Code), typeof(int)),
                new VectorStoreVectorProperty(nameof(VectorTypesRecord<TKey>.ArrayVector), typeof(float[]), 2),
                new VectorStoreVectorProperty(nameof(VectorTypesRecord<TKey>.EmbeddingVector), typeof(Embedding<float>), 2),
            ],
        });
        VectorTypesRecord<TKey>[] records =
        [
            new() { Key = NewKey(), Code = 1, ArrayVector = [1, 0], EmbeddingVector = new(new float[] { 0, 1 }) },
            new() { Key = NewKey(), Code = 2, ArrayVector = [0, 1], EmbeddingVector = new(new float[] { 1, 0 }) },
        ];
        await collection.UpsertAsync(records);

        var received = await collection.GetAsync(records[0].Key, new() { IncludeVectors = true });
        var byArray = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 0]), 1, new() { VectorProperty = r => r.ArrayVector }).SingleAsync();
        var byEmbedding = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 0]), 1, new() { VectorProperty = r => r.EmbeddingVector }).SingleAsync();

        Assert.NotNull(received);
        Assert.Equal([1f, 0], received.ArrayVector!);
        Assert.Equal([0f, 1], received.EmbeddingVector!.Vector.ToArray());
        Assert.Equal(1, byArray.Record.Code);
        Assert.Equal(2, byEmbedding.Record.Code);
    }

    [ConformanceFact]
    public async Task EveryDeclaredIndexKind_FindsTheNearestRecords()
    {
        foreach (var indexKind in TestStore.SupportedIndexKinds)
        {
            var definition = ConformanceDefinition(3, DistanceFunction.CosineSimilarity);
            definition.Properties.OfType<VectorStoreVectorProperty>().Single().IndexKind = indexKind;
            var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("index", definition);
            var records = Vectors.Select((v, i) => new ConformanceRecord<TKey> { Key = NewKey(), Number = i, Vector = new(v) }).ToList();
            await collection.UpsertAsync(records);

            var results = await collection.SearchAsync(new ReadOnlyMemory<float>(Query), top: 2).ToListAsync();

            Assert.True(results.Count == 2, $"Index kind {indexKind}: {results.Count} results");
            Assert.Equal(0, results[0].Record.Number);
            Assert.Equal(1, results[0].Score!.Value, 1e-4);
        }
    }

    private static VectorStoreCollectionDefinition TwoVectorDefinition() => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(TwoVectorRecord<TKey>.Key), typeof(TKey)),
            new VectorStoreDataProperty(nameof(TwoVectorRecord<TKey>.Code), typeof(int)) { IsIndexed = true },
            new VectorStoreVectorProperty(nameof(TwoVectorRecord<TKey>.First), typeof(ReadOnlyMemory<float>), 2)
            {
                DistanceFunction = DistanceFunction.CosineSimilarity,
            },
            new VectorStoreVectorProperty(nameof(TwoVectorRecord<TKey>.Second), typeof(ReadOnlyMemory<float>), 2)
            {
                DistanceFunction = DistanceFunction.CosineSimilarity,
            },
        ],
    };

    private async Task<(VectorStoreCollection<TKey, ConformanceRecord<TKey>> Collection, List<ConformanceRecord<TKey>> Records)> SeedAsync(
        string distanceFunction)
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("search", ConformanceDefinition(3, distanceFunction));
        var records = Vectors.Select((v, i) => new ConformanceRecord<TKey> { Key = NewKey(), Number = i, Text = $"record {i}", Vector = new(v) }).ToList();
        await collection.UpsertAsync(records);
        return (collection, records);
    }

    private static List<(ConformanceRecord<TKey> Record, double Score)> Expected(string distanceFunction, List<ConformanceRecord<TKey>> records)
    {
        var scored = records.Select(r => (Record: r, Score: ReferenceScores.Score(distanceFunction, Query, r.Vector.ToArray())));
        return ReferenceScores.HigherIsCloser(distanceFunction)
            ? [.. scored.OrderByDescending(s => s.Score)]
            : [.. scored.OrderBy(s => s.Score)];
    }

    private async Task AssertRejectedAsync(string distanceFunction)
    {
        var store = CreateStore();
        await Assert.ThrowsAsync<NotSupportedException>(async () =>
        {
            var collection = store.GetCollection<TKey, ConformanceRecord<TKey>>(
                NewCollectionName("search", store), ConformanceDefinition(3, distanceFunction));
            await collection.EnsureCollectionExistsAsync();
        });
    }
}
