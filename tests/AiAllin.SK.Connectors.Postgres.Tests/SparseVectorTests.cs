using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.VectorData;
using Pgvector;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class SparseVectorTests
{
    // In 5 dimensions, q = (1, 0, 2, 0, 0); a = 2q; b = (0, 3, 0, 0, 0); c = (1, 0, 0, 0, -2).
    // |q| = |c| = sqrt 5, |a| = 2 sqrt 5, |b| = 3; q.a = 10, q.b = 0, q.c = 1;
    // a - q = (1, 0, 2, 0, 0), b - q = (-1, 3, -2, 0, 0), c - q = (0, 0, -2, 0, -2).
    [PostgresTheory]
    [InlineData(DistanceFunction.CosineSimilarity, "sparsevec_cosine_ops", 1.0, 0.2, 0.0)]
    [InlineData(DistanceFunction.CosineDistance, "sparsevec_cosine_ops", 0.0, 0.8, 1.0)]
    [InlineData(DistanceFunction.DotProductSimilarity, "sparsevec_ip_ops", 10.0, 1.0, 0.0)]
    [InlineData(DistanceFunction.NegativeDotProductSimilarity, "sparsevec_ip_ops", -10.0, -1.0, 0.0)]
    [InlineData(DistanceFunction.EuclideanDistance, "sparsevec_l2_ops", 2.2360680, 2.8284271, 3.7416574)]
    [InlineData(DistanceFunction.EuclideanSquaredDistance, "sparsevec_l2_ops", 5.0, 8.0, 14.0)]
    [InlineData(DistanceFunction.ManhattanDistance, "sparsevec_l1_ops", 3.0, 4.0, 6.0)]
    public async Task Search_WithEachDistanceFunction_ReturnsHandComputedScoresFromAnHnswIndex(
        string distanceFunction, string operatorClass, double scoreA, double scoreC, double scoreB)
    {
        await using var fixture = await PostgresFixture.CreateAsync("sparse");
        var collection = fixture.Store.GetCollection<long, SparseDoc>("docs", new PostgresCollectionOptions { Definition = Definition(5, distanceFunction) });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            Doc(1, "a", 5, (0, 2), (2, 4)),
            Doc(2, "b", 5, (1, 3)),
            Doc(3, "c", 5, (0, 1), (4, -2)),
        ]);

        var results = await collection.SearchAsync(Sparse(5, (0, 1), (2, 2)), 3).ToListAsync();

        Assert.Equal(["a", "c", "b"], results.Select(r => r.Record.Title));
        Assert.Equal(scoreA, results[0].Score!.Value, 1e-5);
        Assert.Equal(scoreC, results[1].Score!.Value, 1e-5);
        Assert.Equal(scoreB, results[2].Score!.Value, 1e-5);
        Assert.Contains(operatorClass, await fixture.IndexDefinitionAsync("hnsw"), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Upsert_ThenGetWithIncludeVectors_RoundTripsTheSparseVector()
    {
        await using var fixture = await PostgresFixture.CreateAsync("sparse");
        var collection = await DocsAsync(fixture, 1_000_000);

        // An explicit zero is not a non-zero element: pgvector refuses it, so it is dropped.
        var stored = new SparseVector(1_000_000, new[] { 0, 7, 500_000, 999_999 }, new[] { 0.25f, 0f, -1.5f, 3e-7f });
        await collection.UpsertAsync(new SparseDoc { Id = 1, Title = "wide", Embedding = stored });

        var withVectors = await collection.GetAsync(1, new RecordRetrievalOptions { IncludeVectors = true });
        var withoutVectors = await collection.GetAsync(1);
        var hit = await collection.SearchAsync(Sparse(1_000_000, (999_999, 1)), 1, new VectorSearchOptions<SparseDoc> { IncludeVectors = true }).SingleAsync();

        var embedding = withVectors!.Embedding!;
        Assert.Equal(1_000_000, embedding.Dimensions);
        Assert.Equal([0, 500_000, 999_999], embedding.Indices.ToArray());
        Assert.Equal([0.25f, -1.5f, 3e-7f], embedding.Values.ToArray());
        Assert.Null(withoutVectors!.Embedding);
        Assert.Equal([0, 500_000, 999_999], hit.Record.Embedding!.Indices.ToArray());
        Assert.Equal("sparsevec(1000000)", await fixture.Server.ScalarAsync<string>(
            $"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\"{fixture.Schema}\".docs'::regclass AND attname = 'Embedding'"));
    }

    [PostgresFact]
    public async Task DynamicCollection_StoresReadsAndSearchesSparseVectors()
    {
        await using var fixture = await PostgresFixture.CreateAsync("sparse");
        var collection = fixture.Store.GetDynamicCollection("dynamic_docs", Definition(4, DistanceFunction.DotProductSimilarity));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new Dictionary<string, object?> { ["Id"] = 1L, ["Title"] = "one", ["Embedding"] = Sparse(4, (3, 1.5f)) },
            new Dictionary<string, object?> { ["Id"] = 2L, ["Title"] = "two", ["Embedding"] = Sparse(4, (0, 1), (3, 1)) },
        ]);

        var results = await collection.SearchAsync(Sparse(4, (0, 1), (3, 1)), 2, new VectorSearchOptions<Dictionary<string, object?>> { IncludeVectors = true }).ToListAsync();

        Assert.Equal(["two", "one"], results.Select(r => r.Record["Title"]));
        Assert.Equal(2.0, results[0].Score!.Value, 1e-6);
        Assert.Equal(1.5, results[1].Score!.Value, 1e-6);
        var embedding = Assert.IsType<SparseVector>(results[1].Record["Embedding"]);
        Assert.Equal([3], embedding.Indices.ToArray());
        Assert.Equal([1.5f], embedding.Values.ToArray());
    }

    [PostgresFact]
    public async Task HybridSearch_FusesTheSparseVectorAndKeywordRankings()
    {
        await using var fixture = await PostgresFixture.CreateAsync("sparse");
        var definition = Definition(5, DistanceFunction.CosineSimilarity);
        definition.Properties[1] = new VectorStoreDataProperty("Title", typeof(string)) { IsFullTextIndexed = true };
        var collection = fixture.Store.GetCollection<long, SparseDoc>("docs", new PostgresCollectionOptions { Definition = definition });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([Doc(1, "red apples", 5, (0, 1)), Doc(2, "green pears", 5, (0, 1), (1, 1)), Doc(3, "blue plums", 5, (4, 1))]);

        // Record 1 is first in the vector ranking and absent from the keyword one; record 2 is second and first.
        var results = await collection.HybridSearchAsync(
            Sparse(5, (0, 1)), ["pears"], 3, new HybridSearchOptions<SparseDoc> { IncludeVectors = true }).ToListAsync();

        Assert.Equal([2L, 1L, 3L], results.Select(r => r.Record.Id));
        Assert.Equal([0, 1], results[0].Record.Embedding!.Indices.ToArray());
    }

    [PostgresFact]
    public async Task Upsert_WithWrongDimension_ThrowsAndKeepsData()
    {
        await using var fixture = await PostgresFixture.CreateAsync("sparse");
        var collection = await DocsAsync(fixture, 5);
        await collection.UpsertAsync(Doc(1, "original", 5, (0, 1)));

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync([Doc(2, "new", 5, (1, 1)), Doc(1, "changed", 6, (5, 1))]));

        Assert.Contains("6 dimensions", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, await fixture.CountAsync("docs"));
        var original = await collection.GetAsync(1, new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal("original", original!.Title);
        Assert.Equal([0], original.Embedding!.Indices.ToArray());
    }

    [PostgresFact]
    public async Task Upsert_WithIndicesOutOfOrderOrRange_ThrowsAndKeepsData()
    {
        await using var fixture = await PostgresFixture.CreateAsync("sparse");
        var collection = await DocsAsync(fixture, 5);
        await collection.UpsertAsync(Doc(1, "original", 5, (0, 1)));

        await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(
            new SparseDoc { Id = 1, Title = "unsorted", Embedding = new SparseVector(5, new[] { 3, 1 }, new[] { 1f, 1f }) }));
        await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(
            new SparseDoc { Id = 1, Title = "outside", Embedding = new SparseVector(5, new[] { 5 }, new[] { 1f }) }));

        Assert.Equal("original", (await collection.GetAsync(1))!.Title);
    }

    [PostgresFact]
    public async Task Search_WithWrongDimension_IsRejected()
    {
        await using var fixture = await PostgresFixture.CreateAsync("sparse");
        var collection = await DocsAsync(fixture, 5);

        var exception = await Assert.ThrowsAsync<ArgumentException>(async () => await collection.SearchAsync(Sparse(4, (0, 1)), 1).ToListAsync());

        Assert.Contains("4 dimensions", exception.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task IvfFlat_IsRejectedForSparseVectors()
    {
        await using var fixture = await PostgresFixture.CreateAsync("sparse");
        var definition = Definition(5, DistanceFunction.CosineSimilarity, IndexKind.IvfFlat);

        var exception = await Assert.ThrowsAsync<NotSupportedException>(
            () => fixture.Store.GetDynamicCollection("ivf_docs", definition).EnsureCollectionExistsAsync());

        Assert.Contains("IVFFlat does not index sparsevec", exception.Message, StringComparison.Ordinal);
        Assert.False(await fixture.Store.CollectionExistsAsync("ivf_docs"));
    }

    [PostgresFact]
    public async Task Dimensions_OverTheSparsevecLimit_AreRejectedNamingTheLimit()
    {
        await using var fixture = await PostgresFixture.CreateAsync("sparse");

        var exception = await Assert.ThrowsAsync<NotSupportedException>(
            () => fixture.Store.GetDynamicCollection("huge", Definition(1_000_000_001, DistanceFunction.CosineSimilarity)).EnsureCollectionExistsAsync());

        Assert.Contains("1,000,000,000", exception.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Upsert_OverTheHnswNonZeroLimit_ThrowsNamingTheLimitAndKeepsData_WhileFlatStoresIt()
    {
        await using var fixture = await PostgresFixture.CreateAsync("sparse");
        var hnsw = await DocsAsync(fixture, 100_000);
        var flat = fixture.Store.GetCollection<long, SparseDoc>(
            "flat_docs", new PostgresCollectionOptions { Definition = Definition(100_000, DistanceFunction.CosineSimilarity, IndexKind.Flat) });
        await flat.EnsureCollectionExistsAsync();
        await hnsw.UpsertAsync(Doc(1, "original", 100_000, (0, 1)));
        var dense = new SparseDoc
        {
            Id = 1,
            Title = "dense",
            Embedding = new SparseVector(100_000, Enumerable.Range(0, 1001).Select(i => i * 7).ToArray(), Enumerable.Repeat(1f, 1001).ToArray()),
        };

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => hnsw.UpsertAsync(dense));
        await flat.UpsertAsync(dense);

        Assert.Contains("1,000", exception.Message, StringComparison.Ordinal);
        Assert.Equal("original", (await hnsw.GetAsync(1))!.Title);
        Assert.Equal(1001, (await flat.GetAsync(1, new RecordRetrievalOptions { IncludeVectors = true }))!.Embedding!.Indices.Length);
    }

    private static async Task<PostgresCollection<long, SparseDoc>> DocsAsync(PostgresFixture fixture, int dimensions)
    {
        var collection = fixture.Store.GetCollection<long, SparseDoc>("docs", new PostgresCollectionOptions { Definition = Definition(dimensions, DistanceFunction.CosineSimilarity) });
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    private static VectorStoreCollectionDefinition Definition(int dimensions, string distanceFunction, string indexKind = IndexKind.Hnsw) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("Id", typeof(long)),
            new VectorStoreDataProperty("Title", typeof(string)),
            new VectorStoreVectorProperty("Embedding", typeof(SparseVector), dimensions) { DistanceFunction = distanceFunction, IndexKind = indexKind },
        ],
    };

    private static SparseVector Sparse(int dimensions, params (int Index, float Value)[] elements)
        => new(dimensions, elements.Select(e => e.Index).ToArray(), elements.Select(e => e.Value).ToArray());

    private static SparseDoc Doc(long id, string title, int dimensions, params (int Index, float Value)[] elements)
        => new() { Id = id, Title = title, Embedding = Sparse(dimensions, elements) };

    public sealed class SparseDoc
    {
        public long Id { get; set; }

        public string Title { get; set; } = string.Empty;

        public SparseVector? Embedding { get; set; }
    }
}
