using AiAllin.SK.Testing.Conditional;
using Microsoft.Extensions.VectorData;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Keyword + vector hybrid search (<see cref="IKeywordHybridSearchable{TRecord}"/>): keyword matches rank above equally
/// near records, the vector still ranks records no keyword matches, and Top, Skip, Filter and AdditionalProperty work.
/// A store without hybrid search must not claim the interface.
/// </summary>
public abstract class HybridSearchConformance<TKey> : VectorStoreConformanceBase<TKey>
    where TKey : notnull
{
    private static readonly ReadOnlyMemory<float> Same = new([1, 0, 0, 0]);

    [ConformanceFact]
    public async Task Hybrid_KeywordMatch_RanksAboveEquallyNearRecords()
    {
        var searchable = await SeedAsync();
        if (searchable is null)
        {
            return;
        }

        var results = await searchable.HybridSearchAsync(Same, ["tart"], top: 4).ToListAsync();

        Assert.Equal(4, results.Count);
        Assert.Equal(3, results[0].Record.Code);
    }

    [ConformanceFact]
    public async Task Hybrid_ResultsCarryScoresAndRecordData()
    {
        var searchable = await SeedAsync();
        if (searchable is null)
        {
            return;
        }

        var results = await searchable.HybridSearchAsync(Same, ["crust"], top: 2, new() { IncludeVectors = true }).ToListAsync();

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.NotNull(r.Score));
        Assert.True(results[0].Score >= results[1].Score, "Hybrid results come best first.");
        Assert.Equal("Lemon tart with a buttery crust", results[0].Record.Text);
        Assert.Equal(Same.ToArray(), results[0].Record.Vector.ToArray());
    }

    [ConformanceFact]
    public async Task Hybrid_StringQuery_IsEmbeddedByTheGenerator()
    {
        var store = CreateStore(TestEmbeddingGenerator.Words("fresh", "slow", "lemon", "grilled"));
        var collection = await CreateCollectionAsync<HybridRecord<TKey>>("hybrid", Definition(extraIsFullText: false), store);
        if (!IsHybrid(collection, out var searchable))
        {
            return;
        }

        await collection.UpsertAsync(
        [
            new() { Key = NewKey(), Code = 1, Text = "fresh bread", Vector = new([1, 0, 0, 0]) },
            new() { Key = NewKey(), Code = 2, Text = "slow cooked beans", Vector = new([0, 1, 0, 0]) },
            new() { Key = NewKey(), Code = 3, Text = "grilled fish", Vector = new([0, 0, 0, 1]) },
        ]);

        // Both the keyword and the embedded query point at code 2.
        var results = await searchable.HybridSearchAsync("slow", ["beans"], top: 3).ToListAsync();

        Assert.Equal(2, results[0].Record.Code);
    }

    [ConformanceFact]
    public async Task Hybrid_WithTop_ReturnsBestKeywordMatchOnly()
    {
        var searchable = await SeedAsync();
        if (searchable is null)
        {
            return;
        }

        var results = await searchable.HybridSearchAsync(Same, ["soup"], top: 1).ToListAsync();

        Assert.Equal(2, Assert.Single(results).Record.Code);
    }

    [ConformanceFact]
    public async Task Hybrid_WithSkip_SkipsTheKeywordMatches()
    {
        var searchable = await SeedAsync();
        if (searchable is null)
        {
            return;
        }

        // Codes 1 and 2 mention basil, so they take the first two places.
        var results = await searchable.HybridSearchAsync(Same, ["basil"], top: 4, new() { Skip = 2 }).ToListAsync();

        Assert.Equal([3, 4], results.Select(r => r.Record.Code).Order());
    }

    [ConformanceFact]
    public async Task Hybrid_WithFilter_ReturnsOnlyMatchingRecords()
    {
        var searchable = await SeedAsync();
        if (searchable is null)
        {
            return;
        }

        var results = await searchable.HybridSearchAsync(Same, ["lemon"], top: 4, new() { Filter = r => r.Code == 1 }).ToListAsync();

        Assert.Equal(1, Assert.Single(results).Record.Code);
    }

    [ConformanceFact]
    public async Task Hybrid_MultipleKeywords_RankRecordsMatchingAnyAboveTheRest()
    {
        var searchable = await SeedAsync();
        if (searchable is null)
        {
            return;
        }

        var results = await searchable.HybridSearchAsync(Same, ["pesto", "soup"], top: 4).ToListAsync();

        Assert.Equal(4, results.Count);
        Assert.Equal([1, 2], results.Take(2).Select(r => r.Record.Code).Order());
    }

    [ConformanceFact]
    public async Task Hybrid_NoKeywordMatch_FallsBackToVectorRanking()
    {
        var collection = await CreateCollectionAsync<HybridRecord<TKey>>("hybrid", Definition(extraIsFullText: false));
        if (!IsHybrid(collection, out var searchable))
        {
            return;
        }

        await collection.UpsertAsync(
        [
            new() { Key = NewKey(), Code = 1, Text = "first", Vector = new([0, 1, 0, 0]) },
            new() { Key = NewKey(), Code = 2, Text = "second", Vector = new([1, 0, 0, 0]) },
            new() { Key = NewKey(), Code = 3, Text = "third", Vector = new([0.7f, 0.7f, 0, 0]) },
        ]);

        var results = await searchable.HybridSearchAsync(Same, ["absent"], top: 3).ToListAsync();

        Assert.Equal([2, 3, 1], results.Select(r => r.Record.Code));
    }

    [ConformanceFact]
    public async Task Hybrid_AdditionalProperty_SelectsTheKeywordField()
    {
        var collection = await CreateCollectionAsync<HybridRecord<TKey>>("hybrid", Definition(extraIsFullText: true));
        if (!IsHybrid(collection, out var searchable))
        {
            return;
        }

        await collection.UpsertAsync(
        [
            new() { Key = NewKey(), Code = 1, Text = "apples", Extra = "oranges", Vector = Same },
            new() { Key = NewKey(), Code = 2, Text = "oranges", Extra = "apples", Vector = Same },
        ]);

        var byText = await searchable.HybridSearchAsync(Same, ["apples"], top: 2, new() { AdditionalProperty = r => r.Text }).ToListAsync();
        var byExtra = await searchable.HybridSearchAsync(Same, ["apples"], top: 2, new() { AdditionalProperty = r => r.Extra }).ToListAsync();

        Assert.Equal([1, 2], byText.Select(r => r.Record.Code));
        Assert.Equal([2, 1], byExtra.Select(r => r.Record.Code));
    }

    [ConformanceFact]
    public async Task Hybrid_TwoFullTextFieldsWithoutAdditionalProperty_Throws()
    {
        var collection = await CreateCollectionAsync<HybridRecord<TKey>>("hybrid", Definition(extraIsFullText: true));
        if (!IsHybrid(collection, out var searchable))
        {
            return;
        }

        await collection.UpsertAsync(new HybridRecord<TKey> { Key = NewKey(), Code = 1, Text = "apples", Extra = "pears", Vector = Same });

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await searchable.HybridSearchAsync(Same, ["apples"], top: 1).ToListAsync());
    }

    private static VectorStoreCollectionDefinition Definition(bool extraIsFullText) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(HybridRecord<TKey>.Key), typeof(TKey)),
            new VectorStoreDataProperty(nameof(HybridRecord<TKey>.Text), typeof(string)) { IsFullTextIndexed = true },
            new VectorStoreDataProperty(nameof(HybridRecord<TKey>.Extra), typeof(string)) { IsFullTextIndexed = extraIsFullText },
            new VectorStoreDataProperty(nameof(HybridRecord<TKey>.Code), typeof(int)) { IsIndexed = true },
            new VectorStoreVectorProperty(nameof(HybridRecord<TKey>.Vector), typeof(ReadOnlyMemory<float>), 4)
            {
                DistanceFunction = DistanceFunction.CosineSimilarity,
            },
        ],
    };

    // Every record has the same vector, so only the keywords can order them.
    private async Task<IKeywordHybridSearchable<HybridRecord<TKey>>?> SeedAsync()
    {
        var collection = await CreateCollectionAsync<HybridRecord<TKey>>("hybrid", Definition(extraIsFullText: false));
        if (!IsHybrid(collection, out var searchable))
        {
            return null;
        }

        await collection.UpsertAsync(
        [
            new() { Key = NewKey(), Code = 1, Text = "Fresh basil pesto with pine nuts", Extra = "tart", Vector = Same },
            new() { Key = NewKey(), Code = 2, Text = "Slow roasted tomato soup with basil", Vector = Same },
            new() { Key = NewKey(), Code = 3, Text = "Lemon tart with a buttery crust", Vector = Same },
            new() { Key = NewKey(), Code = 4, Text = "Grilled lemon chicken and rice", Vector = Same },
        ]);
        return searchable;
    }

    // A store that declares no hybrid search must not claim the interface; one that declares it must implement it.
    private bool IsHybrid(VectorStoreCollection<TKey, HybridRecord<TKey>> collection, out IKeywordHybridSearchable<HybridRecord<TKey>> searchable)
    {
        var hybrid = collection as IKeywordHybridSearchable<HybridRecord<TKey>>;
        Assert.True(
            TestStore.SupportsHybridSearch == hybrid is not null,
            $"The test store says SupportsHybridSearch = {TestStore.SupportsHybridSearch}, but its collection {(hybrid is null ? "does not implement" : "implements")} IKeywordHybridSearchable.");
        searchable = hybrid!;
        return hybrid is not null;
    }
}
