using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres.Tests;

/// <summary>
/// The opt-in quantized index of float vectors: a <c>halfvec</c> expression index, or a <c>binary_quantize</c> bit index
/// searched with oversampling and re-ranked exactly in the same statement. Results are compared with the exact scan.
/// </summary>
public sealed class QuantizedIndexTests
{
    private const int Dimensions = 32;
    private const int Clusters = 40;
    private const int ClusterSize = 10;

    [PostgresTheory]
    [InlineData(PostgresVectorQuantization.HalfPrecision, IndexKind.Hnsw, "hnsw", "docs_Embedding_hv_idx", "::halfvec(32)) halfvec_cosine_ops")]
    [InlineData(PostgresVectorQuantization.Binary, IndexKind.Hnsw, "hnsw", "docs_Embedding_bq_idx", "(binary_quantize(\"Embedding\"))::bit(32)) bit_hamming_ops")]
    [InlineData(PostgresVectorQuantization.HalfPrecision, IndexKind.IvfFlat, "ivfflat", "docs_Embedding_hv_idx", "::halfvec(32)) halfvec_cosine_ops")]
    [InlineData(PostgresVectorQuantization.Binary, IndexKind.IvfFlat, "ivfflat", "docs_Embedding_bq_idx", "(binary_quantize(\"Embedding\"))::bit(32)) bit_hamming_ops")]
    public async Task Search_OverAQuantizedIndex_UsesIt_AndEqualsTheExactSearch(
        PostgresVectorQuantization quantization, string indexKind, string accessMethod, string indexName, string indexedExpression)
    {
        await using var fixture = await PostgresFixture.CreateAsync("quantized", singleConnection: true);
        var (collection, docs) = await SeedAsync(fixture, quantization, indexKind, DistanceFunction.CosineSimilarity);
        var before = await fixture.IndexScansAsync(indexName);

        var query = Centre(7);
        var results = await collection.SearchAsync(query, 5).ToListAsync();
        var scans = await fixture.IndexScansAsync(indexName);
        var exact = await collection.SearchAsync(query, 5, new PostgresSearchSettings { ExactScan = true }).ToListAsync();

        Assert.Contains(indexedExpression, await fixture.IndexDefinitionAsync(accessMethod), StringComparison.Ordinal);
        Assert.True(scans > before, "the search did not use the quantized index");
        Assert.Equal(exact.Select(r => r.Record.Id), results.Select(r => r.Record.Id));
        Assert.Equal(exact.Select(r => r.Score!.Value), results.Select(r => r.Score!.Value));
        Assert.All(results, r => Assert.Equal(7, r.Record.Cluster));
        Assert.Equal(docs.Count, await fixture.CountAsync("docs"));
    }

    [PostgresTheory]
    [InlineData(PostgresVectorQuantization.HalfPrecision, DistanceFunction.EuclideanDistance)]
    [InlineData(PostgresVectorQuantization.Binary, DistanceFunction.DotProductSimilarity)]
    [InlineData(PostgresVectorQuantization.Binary, DistanceFunction.CosineDistance)]
    public async Task Search_WithFilterSkipTopAndThreshold_EqualsTheExactSearch(PostgresVectorQuantization quantization, string distanceFunction)
    {
        await using var fixture = await PostgresFixture.CreateAsync("quantized");
        var (collection, _) = await SeedAsync(fixture, quantization, IndexKind.Hnsw, distanceFunction);
        var query = Centre(3);
        var exactSettings = new PostgresSearchSettings { ExactScan = true };

        foreach (var options in new[]
        {
            new VectorSearchOptions<QDoc> { Skip = 2 },
            new VectorSearchOptions<QDoc> { Filter = d => d.Parity == 1 },
            new VectorSearchOptions<QDoc> { Filter = d => d.Parity == 0, Skip = 1 },
        })
        {
            var results = await collection.SearchAsync(query, 4, options).ToListAsync();
            var exact = await collection.SearchAsync(query, 4, exactSettings, options).ToListAsync();

            Assert.Equal(4, results.Count);
            Assert.Equal(exact.Select(r => r.Record.Id), results.Select(r => r.Record.Id));
        }

        var ranking = await collection.SearchAsync(query, 6, exactSettings).ToListAsync();
        var threshold = (ranking[2].Score!.Value + ranking[3].Score!.Value) / 2;
        var thresholded = await collection.SearchAsync(query, 6, new VectorSearchOptions<QDoc> { ScoreThreshold = threshold }).ToListAsync();
        Assert.Equal(ranking.Take(3).Select(r => r.Record.Id), thresholded.Select(r => r.Record.Id));
    }

    [PostgresFact]
    public async Task IndexApi_DropsBuildsAndEnsureRecreatesTheQuantizedIndex()
    {
        await using var fixture = await PostgresFixture.CreateAsync("quantized");
        var (collection, _) = await SeedAsync(fixture, PostgresVectorQuantization.Binary, IndexKind.Hnsw, DistanceFunction.CosineSimilarity);

        Assert.Equal(["docs_Embedding_bq_idx"], await collection.DropIndexesAsync(vectorIndexesOnly: true));
        Assert.Null(await fixture.IndexDefinitionAsync("hnsw"));
        var exactWhileDropped = await collection.SearchAsync(Centre(1), 3).Select(r => r.Record.Id).ToListAsync();

        Assert.Equal(["docs_Embedding_bq_idx"], await collection.BuildIndexesAsync(new PostgresIndexBuildOptions { VectorIndexesOnly = true }));
        Assert.Contains("binary_quantize", await fixture.IndexDefinitionAsync("hnsw"), StringComparison.Ordinal);

        await collection.DropIndexesAsync(vectorIndexesOnly: true);
        await collection.EnsureCollectionExistsAsync();
        Assert.Contains("binary_quantize", await fixture.IndexDefinitionAsync("hnsw"), StringComparison.Ordinal);
        Assert.Equal(exactWhileDropped, await collection.SearchAsync(Centre(1), 3).Select(r => r.Record.Id).ToListAsync());
    }

    [PostgresFact]
    public async Task SwitchingQuantization_OnAnExistingCollection_BuildsTheNewIndexBesideTheOld()
    {
        await using var fixture = await PostgresFixture.CreateAsync("quantized");
        var (plain, _) = await SeedAsync(fixture, PostgresVectorQuantization.None, IndexKind.Hnsw, DistanceFunction.CosineSimilarity);

        var quantized = fixture.Store.GetCollection<long, QDoc>("docs", Options(PostgresVectorQuantization.HalfPrecision, IndexKind.Hnsw, DistanceFunction.CosineSimilarity));
        await quantized.EnsureCollectionExistsAsync();
        var indexes = await fixture.Server.ScalarAsync<string>(
            $"SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = '{fixture.Schema}' AND indexname LIKE 'docs_Embedding%'");
        var dropped = await plain.DropIndexesAsync(vectorIndexesOnly: true);

        Assert.Equal("docs_Embedding_hv_idx,docs_Embedding_idx", indexes);
        Assert.Equal(["docs_Embedding_idx"], dropped);
        Assert.Equal(5, await quantized.SearchAsync(Centre(2), 5).CountAsync());
    }

    [PostgresTheory]
    [InlineData(IndexKind.Flat, typeof(ReadOnlyMemory<float>), "index kind Flat (no index), so there is nothing to quantize")]
    [InlineData(IndexKind.Hnsw, typeof(ReadOnlyMemory<Half>), "has no single-precision (float) vector property to quantize")]
    public async Task Create_WithAQuantizationThatCannotApply_IsRefused(string indexKind, Type vectorType, string message)
    {
        await using var fixture = await PostgresFixture.CreateAsync("quantized");
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(long)),
                new VectorStoreVectorProperty("Embedding", vectorType, Dimensions) { IndexKind = indexKind },
            ],
        };

        var exception = Assert.Throws<NotSupportedException>(() => new PostgresDynamicCollection(
            fixture.DataSource, "refused", new PostgresCollectionOptions { Definition = definition, Schema = fixture.Schema, Quantization = PostgresVectorQuantization.Binary }));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.Empty(await fixture.Store.ListCollectionNamesAsync().ToListAsync());
    }

    [PostgresFact]
    public async Task Search_WithOversamplingBelowOne_IsRefused()
    {
        await using var fixture = await PostgresFixture.CreateAsync("quantized");
        var (collection, _) = await SeedAsync(fixture, PostgresVectorQuantization.Binary, IndexKind.Hnsw, DistanceFunction.CosineSimilarity);

        Assert.Throws<ArgumentOutOfRangeException>(() => collection.SearchAsync(Centre(1), 3, new PostgresSearchSettings { Oversampling = 0 }));
    }

    [PostgresTheory]
    [InlineData(PostgresVectorQuantization.Binary, "40")]
    [InlineData(PostgresVectorQuantization.HalfPrecision, "10")]
    public async Task IvfFlat_DefaultProbes_AreFourTimesTheSquareRootOfListsForABinaryIndex(PostgresVectorQuantization quantization, string probes)
    {
        await using var fixture = await PostgresFixture.CreateAsync("quantized");
        var options = Options(quantization, IndexKind.IvfFlat, DistanceFunction.CosineSimilarity);
        options.IvfFlatLists = 100;
        var (collection, _) = await SeedAsync(fixture, options);
        var index = quantization == PostgresVectorQuantization.Binary ? "docs_Embedding_bq_idx" : "docs_Embedding_hv_idx";

        // The statement a search without explicit probes sends first, and the setting it leaves for the query.
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(PostgresIndexes.DefaultProbesSettingSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = $"\"{fixture.Schema}\".\"{index}\"" });
        command.Parameters.Add(new NpgsqlParameter { Value = "off" });
        command.Parameters.Add(new NpgsqlParameter { Value = PostgresIndexes.DefaultProbesFactor(quantization) });
        await command.ExecuteNonQueryAsync();
        await using var read = new NpgsqlCommand("SELECT current_setting('ivfflat.probes')", connection, transaction);

        Assert.Equal(probes, await read.ExecuteScalarAsync());
        Assert.Equal(5, await collection.SearchAsync(Centre(1), 5).CountAsync());
    }

    private static Task<(PostgresCollection<long, QDoc> Collection, List<QDoc> Docs)> SeedAsync(
        PostgresFixture fixture, PostgresVectorQuantization quantization, string indexKind, string distanceFunction)
        => SeedAsync(fixture, Options(quantization, indexKind, distanceFunction));

    private static async Task<(PostgresCollection<long, QDoc> Collection, List<QDoc> Docs)> SeedAsync(PostgresFixture fixture, PostgresCollectionOptions options)
    {
        var collection = fixture.Store.GetCollection<long, QDoc>("docs", options);
        await collection.EnsureCollectionExistsAsync();

        // Tight clusters around far-apart centres: every member of the query's cluster is among the quantized index's
        // candidates, so the exact re-rank must return exactly what the exact scan does.
        var random = new Random(42);
        var docs = new List<QDoc>();
        for (var c = 0; c < Clusters; c++)
        {
            var centre = Centre(c);
            for (var m = 0; m < ClusterSize; m++)
            {
                var vector = centre.Select(x => x + (float)((random.NextDouble() - 0.5) * 0.02)).ToArray();
                docs.Add(new QDoc { Id = docs.Count, Cluster = c, Parity = m % 2, Embedding = vector });
            }
        }

        await collection.UpsertAsync(docs);
        await collection.BuildIndexesAsync();
        return (collection, docs);
    }

    private static PostgresCollectionOptions Options(PostgresVectorQuantization quantization, string indexKind, string distanceFunction) => new()
    {
        Quantization = quantization,
        Definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(QDoc.Id), typeof(long)),
                new VectorStoreDataProperty(nameof(QDoc.Cluster), typeof(int)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(QDoc.Parity), typeof(int)) { IsIndexed = true },
                new VectorStoreVectorProperty(nameof(QDoc.Embedding), typeof(ReadOnlyMemory<float>), Dimensions)
                {
                    DistanceFunction = distanceFunction,
                    IndexKind = indexKind,
                },
            ],
        },
    };

    /// <summary>A centre with every element of magnitude 0.5 to 1, so no element is near the sign boundary of binary quantization.</summary>
    private static float[] Centre(int cluster)
    {
        var random = new Random(1000 + cluster);
        return Enumerable.Range(0, Dimensions).Select(_ => (float)((0.5 + (random.NextDouble() / 2)) * (random.Next(2) == 0 ? -1 : 1))).ToArray();
    }

    public sealed class QDoc
    {
        public long Id { get; set; }

        public int Cluster { get; set; }

        public int Parity { get; set; }

        public ReadOnlyMemory<float> Embedding { get; set; }
    }
}
