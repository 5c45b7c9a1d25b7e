using System.Collections;
using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

/// <summary>
/// PostgreSQL specifics of bit vectors: the <c>bit(n)</c> column, pgvector's bit operator classes under HNSW and IVFFlat
/// (used by the searches), and the combinations pgvector cannot serve, refused when the collection is created.
/// The store-independent behaviour is in the shared <c>BitVectorConformance</c>.
/// </summary>
public sealed class BitVectorTests
{
    private const int Dimensions = 64;

    [PostgresTheory]
    [InlineData(DistanceFunction.HammingDistance, IndexKind.Hnsw, "hnsw", "bit_hamming_ops")]
    [InlineData(PostgresDistanceFunction.JaccardSimilarity, IndexKind.Hnsw, "hnsw", "bit_jaccard_ops")]
    [InlineData(PostgresDistanceFunction.JaccardDistance, IndexKind.Hnsw, "hnsw", "bit_jaccard_ops")]
    [InlineData(DistanceFunction.HammingDistance, IndexKind.IvfFlat, "ivfflat", "bit_hamming_ops")]
    public async Task Search_OverABitIndex_UsesPgvectorsBitOperatorClassAndFindsTheNearest(
        string distanceFunction, string indexKind, string accessMethod, string operatorClass)
    {
        await using var fixture = await PostgresFixture.CreateAsync("bits", singleConnection: true);
        var collection = fixture.Store.GetCollection<long, BitDoc>("docs", new PostgresCollectionOptions { Definition = Definition(distanceFunction, indexKind) });
        await collection.EnsureCollectionExistsAsync();
        var docs = Enumerable.Range(0, 2000).Select(i => new BitDoc { Id = i, Group = i % 4, Bits = Random(i) }).ToList();
        await collection.UpsertAsync(docs);
        await collection.BuildIndexesAsync();
        var before = await fixture.IndexScansAsync("docs_Bits_idx");

        var query = Random(1234);
        var nearest = await collection.SearchAsync(query, 5).ToListAsync();
        var scans = await fixture.IndexScansAsync("docs_Bits_idx");
        var filtered = await collection.SearchAsync(query, 3, new VectorSearchOptions<BitDoc> { Filter = d => d.Group == 2 }).ToListAsync();

        Assert.Contains(operatorClass, await fixture.IndexDefinitionAsync(accessMethod), StringComparison.Ordinal);
        Assert.True(scans > before, "the search did not use the bit index");
        Assert.Equal(1234, nearest[0].Record.Id);
        Assert.Equal(distanceFunction == PostgresDistanceFunction.JaccardSimilarity ? 1 : 0, nearest[0].Score!.Value, 1e-9);
        Assert.Equal(3, filtered.Count);
        Assert.All(filtered, r => Assert.Equal(2, r.Record.Group));
        Assert.Equal("bit(64)", await fixture.Server.ScalarAsync<string>(
            $"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\"{fixture.Schema}\".docs'::regclass AND attname = 'Bits'"));
    }

    [PostgresTheory]
    [InlineData(typeof(ReadOnlyMemory<float>), DistanceFunction.HammingDistance, IndexKind.Hnsw, "applies to bit vectors only")]
    [InlineData(typeof(ReadOnlyMemory<float>), PostgresDistanceFunction.JaccardSimilarity, IndexKind.Flat, "applies to bit vectors only")]
    [InlineData(typeof(BitArray), DistanceFunction.CosineSimilarity, IndexKind.Hnsw, "bit vectors support HammingDistance, JaccardSimilarity and JaccardDistance")]
    [InlineData(typeof(BinaryEmbedding), DistanceFunction.EuclideanDistance, IndexKind.Flat, "bit vectors support HammingDistance")]
    [InlineData(typeof(BitArray), PostgresDistanceFunction.JaccardSimilarity, IndexKind.IvfFlat, "indexes bits for HammingDistance only")]
    [InlineData(typeof(BitArray), PostgresDistanceFunction.JaccardDistance, IndexKind.IvfFlat, "Use Hnsw (bit_jaccard_ops) or Flat")]
    public async Task Create_WithADistanceFunctionOrIndexPgvectorCannotServe_IsRefusedWithNothingCreated(
        Type vectorType, string distanceFunction, string indexKind, string message)
    {
        await using var fixture = await PostgresFixture.CreateAsync("bits");
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(long)),
                new VectorStoreVectorProperty("Embedding", vectorType, Dimensions) { DistanceFunction = distanceFunction, IndexKind = indexKind },
            ],
        };

        var exception = await Assert.ThrowsAsync<NotSupportedException>(async () =>
        {
            var collection = fixture.Store.GetDynamicCollection("refused", definition);
            await collection.EnsureCollectionExistsAsync();
        });

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.Contains("'Embedding'", exception.Message, StringComparison.Ordinal);
        Assert.Empty(await fixture.Store.ListCollectionNamesAsync().ToListAsync());
    }

    [PostgresFact]
    public async Task DynamicCollection_StoresReadsAndSearchesBitArraysAndBinaryEmbeddings()
    {
        await using var fixture = await PostgresFixture.CreateAsync("bits");
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(long)),
                new VectorStoreVectorProperty("Bits", typeof(BitArray), 10) { DistanceFunction = DistanceFunction.HammingDistance },
                new VectorStoreVectorProperty("Embedding", typeof(BinaryEmbedding), 3) { DistanceFunction = PostgresDistanceFunction.JaccardDistance },
            ],
        };
        var collection = fixture.Store.GetDynamicCollection("dynamic_bits", definition);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new Dictionary<string, object?> { ["Id"] = 1L, ["Bits"] = Bits("1000000001"), ["Embedding"] = new BinaryEmbedding(Bits("110")) },
            new Dictionary<string, object?> { ["Id"] = 2L, ["Bits"] = Bits("0111111110"), ["Embedding"] = new BinaryEmbedding(Bits("011")) },
        ]);

        var byHamming = await collection.SearchAsync(Bits("1100000001"), 2, new VectorSearchOptions<Dictionary<string, object?>> { IncludeVectors = true, VectorProperty = r => r["Bits"] })
            .ToListAsync();
        var byJaccard = await collection.SearchAsync(new BinaryEmbedding(Bits("001")), 2, new VectorSearchOptions<Dictionary<string, object?>> { VectorProperty = r => r["Embedding"] })
            .ToListAsync();

        Assert.Equal([1L, 2L], byHamming.Select(r => r.Record["Id"]));
        Assert.Equal([1.0, 9.0], byHamming.Select(r => r.Score!.Value));
        Assert.Equal("1000000001", Text((BitArray)byHamming[0].Record["Bits"]!));
        Assert.Equal("110", Text(((BinaryEmbedding)byHamming[0].Record["Embedding"]!).Vector));
        Assert.Equal([2L, 1L], byJaccard.Select(r => r.Record["Id"]));
        Assert.Equal(0.5, byJaccard[0].Score!.Value, 1e-9);
        Assert.Equal(1.0, byJaccard[1].Score!.Value, 1e-9);
    }

    private static VectorStoreCollectionDefinition Definition(string distanceFunction, string indexKind) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(BitDoc.Id), typeof(long)),
            new VectorStoreDataProperty(nameof(BitDoc.Group), typeof(int)) { IsIndexed = true },
            new VectorStoreVectorProperty(nameof(BitDoc.Bits), typeof(BitArray), Dimensions) { DistanceFunction = distanceFunction, IndexKind = indexKind },
        ],
    };

    private static BitArray Random(int seed)
    {
        var random = new Random(seed);
        return new BitArray(Enumerable.Range(0, Dimensions).Select(_ => random.Next(2) == 1).ToArray());
    }

    private static BitArray Bits(string pattern) => new(pattern.Select(c => c == '1').ToArray());

    private static string Text(BitArray bits) => string.Concat(Enumerable.Range(0, bits.Length).Select(i => bits[i] ? '1' : '0'));

    public sealed class BitDoc
    {
        public long Id { get; set; }

        public int Group { get; set; }

        public BitArray? Bits { get; set; }
    }
}
