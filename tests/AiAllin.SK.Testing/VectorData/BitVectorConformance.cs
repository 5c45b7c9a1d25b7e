using AiAllin.SK.Connectors.Core.VectorData;
using System.Collections;
using AiAllin.SK.Testing.Conditional;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Bit vectors (<see cref="BitArray"/> and <see cref="BinaryEmbedding"/> properties): Hamming distance as MEVD defines it
/// (the number of differing bits; lower is closer), Jaccard where the store has it (<see cref="JaccardSimilarity"/>:
/// shared set bits over set bits in either, higher is closer; <see cref="JaccardDistance"/>: 1 minus that, lower is
/// closer), ranking with exact scores under each index kind, Top/Skip, filters, ScoreThreshold, round trips, wrong
/// lengths rejected with nothing written, and generation from text through an
/// <c>IEmbeddingGenerator&lt;string, BinaryEmbedding&gt;</c>.
/// </summary>
/// <remarks>
/// A store binds it like the other suites (<see cref="VectorStoreConformanceBase{TKey}.TestStore"/>); distance functions
/// and index kinds it does not list in <see cref="IVectorStoreTestStore"/> must be refused when the collection is created,
/// and <see cref="SupportsBitIndex"/> narrows the combinations it accepts.
/// </remarks>
public abstract class BitVectorConformance<TKey> : VectorStoreConformanceBase<TKey>
    where TKey : notnull
{
    /// <summary>The name of the Jaccard similarity of bit vectors (MEVD has no constant for it).</summary>
    public const string JaccardSimilarity = BitDistanceFunction.JaccardSimilarity;

    /// <summary>The name of the Jaccard distance of bit vectors.</summary>
    public const string JaccardDistance = BitDistanceFunction.JaccardDistance;

    private const int Bits = 12;
    private const double Precision = 1e-6;

    private static readonly string[] Vocabulary = ["apple", "banana", "cherry", "grape", "lemon", "mango", "peach", "plum"];

    /// <summary>The query, and records at distinct Hamming distances and distinct Jaccard similarities from it.</summary>
    private const string Query = "111100000000";

    private static readonly string[] Patterns =
    [
        "111100000000", // Hamming 0, Jaccard 1
        "111000000000", // Hamming 1, Jaccard 3/4
        "111111000000", // Hamming 2, Jaccard 4/6
        "100000000001", // Hamming 4, Jaccard 1/5
        "000011110000", // Hamming 8, Jaccard 0
    ];

    /// <summary>
    /// Whether the store accepts a bit vector with <paramref name="indexKind"/> and <paramref name="distanceFunction"/>; by
    /// default, when it lists both. A combination it refuses must fail when the collection is created.
    /// </summary>
    protected virtual bool SupportsBitIndex(string indexKind, string distanceFunction)
        => TestStore.SupportedIndexKinds.Contains(indexKind) && TestStore.SupportedDistanceFunctions.Contains(distanceFunction);

    /// <summary>Builds what the store needs to answer from its index over the records present (e.g. an IVFFlat index); nothing by default.</summary>
    protected virtual Task BuildIndexesAsync<TRecord>(VectorStoreCollection<TKey, TRecord> collection)
        where TRecord : class
        => Task.CompletedTask;

    [ConformanceTheory]
    [InlineData(DistanceFunction.HammingDistance, IndexKind.Flat)]
    [InlineData(DistanceFunction.HammingDistance, IndexKind.Hnsw)]
    [InlineData(DistanceFunction.HammingDistance, IndexKind.IvfFlat)]
    [InlineData(JaccardSimilarity, IndexKind.Flat)]
    [InlineData(JaccardSimilarity, IndexKind.Hnsw)]
    [InlineData(JaccardSimilarity, IndexKind.IvfFlat)]
    [InlineData(JaccardDistance, IndexKind.Flat)]
    [InlineData(JaccardDistance, IndexKind.Hnsw)]
    public async Task Search_RanksByDistanceFunctionWithExactScores(string distanceFunction, string indexKind)
    {
        if (!SupportsBitIndex(indexKind, distanceFunction))
        {
            await AssertRefusedAsync(distanceFunction, indexKind);
            return;
        }

        var (collection, records) = await SeedAsync(distanceFunction, indexKind, Patterns.Length);

        var results = await collection.SearchAsync(ToBits(Query), top: records.Count).ToListAsync();

        var expected = Expected(distanceFunction, records);
        Assert.Equal(expected.Select(e => e.Record.Number), results.Select(r => r.Record.Number));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.NotNull(results[i].Score);
            Assert.Equal(expected[i].Score, results[i].Score!.Value, Precision);
        }
    }

    [ConformanceTheory]
    [InlineData(IndexKind.Flat)]
    [InlineData(IndexKind.Hnsw)]
    public async Task Search_TopAndSkip_PageThroughTheHammingRanking(string indexKind)
    {
        if (!SupportsBitIndex(indexKind, DistanceFunction.HammingDistance))
        {
            return;
        }

        var (collection, records) = await SeedAsync(DistanceFunction.HammingDistance, indexKind, Patterns.Length);
        var ranking = Expected(DistanceFunction.HammingDistance, records).Select(e => e.Record.Number).ToList();

        for (var skip = 0; skip <= records.Count; skip++)
        {
            for (var top = 1; top <= records.Count; top++)
            {
                var page = await collection.SearchAsync(ToBits(Query), top, new() { Skip = skip }).Select(r => r.Record.Number).ToListAsync();
                Assert.Equal(ranking.Skip(skip).Take(top), page);
            }
        }
    }

    [ConformanceTheory]
    [InlineData(IndexKind.Flat)]
    [InlineData(IndexKind.Hnsw)]
    public async Task Search_WithFilter_RanksOnlyMatchingRecords(string indexKind)
    {
        if (!SupportsBitIndex(indexKind, DistanceFunction.HammingDistance))
        {
            return;
        }

        var (collection, records) = await SeedAsync(DistanceFunction.HammingDistance, indexKind, Patterns.Length);
        var ranking = Expected(DistanceFunction.HammingDistance, records).Select(e => e.Record.Number).ToList();

        // Odd numbers are tagged "odd"; the filter drops them and the nearest record.
        var results = await collection.SearchAsync(ToBits(Query), top: 2, new() { Filter = r => r.Tag == "even" && r.Number != 0 })
            .Select(r => r.Record.Number).ToListAsync();

        Assert.Equal(ranking.Where(n => n % 2 == 0 && n != 0).Take(2), results);
        Assert.Equal(2, results.Count);
    }

    [ConformanceTheory]
    [InlineData(DistanceFunction.HammingDistance)]
    [InlineData(JaccardSimilarity)]
    [InlineData(JaccardDistance)]
    public async Task Search_ScoreThreshold_DropsResultsOnTheFarSide(string distanceFunction)
    {
        if (!SupportsBitIndex(IndexKind.Flat, distanceFunction))
        {
            return;
        }

        var (collection, records) = await SeedAsync(distanceFunction, IndexKind.Flat, Patterns.Length);
        var expected = Expected(distanceFunction, records);

        // Halfway between the second and third best scores: a floor for the similarity, a ceiling for the distances.
        var threshold = (expected[1].Score + expected[2].Score) / 2;
        var results = await collection.SearchAsync(ToBits(Query), top: records.Count, new() { ScoreThreshold = threshold }).ToListAsync();

        Assert.Equal(expected.Take(2).Select(e => e.Record.Number), results.Select(r => r.Record.Number));
    }

    [ConformanceTheory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(1024)]
    public async Task Upsert_BitArrayAndBinaryEmbedding_RoundTripEveryBit(int length)
    {
        if (!SupportsBitIndex(IndexKind.Flat, DistanceFunction.HammingDistance))
        {
            return;
        }

        var definition = Definition(DistanceFunction.HammingDistance, IndexKind.Flat, length, binaryEmbedding: true);
        var collection = await CreateCollectionAsync<BitVectorRecord<TKey>>("bits", definition);
        var random = new Random(length);
        var bits = new BitArray(Enumerable.Range(0, length).Select(_ => random.Next(2) == 1).ToArray());
        var embedding = new BitArray(Enumerable.Range(0, length).Select(i => i % 3 == 0).ToArray());
        var key = NewKey();

        await collection.UpsertAsync(new BitVectorRecord<TKey> { Key = key, Number = 1, Bits = bits, Embedding = new BinaryEmbedding(embedding) });
        var read = await collection.GetAsync(key, new() { IncludeVectors = true });
        var withoutVectors = await collection.GetAsync(key);

        Assert.NotNull(read);
        Assert.Equal(ToString(bits), ToString(read.Bits!));
        Assert.Equal(ToString(embedding), ToString(read.Embedding!.Vector));
        Assert.Null(withoutVectors!.Bits);
        Assert.Null(withoutVectors.Embedding);

        var hit = await collection.SearchAsync(new BinaryEmbedding(bits), top: 1, new() { VectorProperty = r => r.Bits }).SingleAsync();
        Assert.Equal(0, hit.Score!.Value, Precision);
    }

    [ConformanceFact]
    public async Task Upsert_WithWrongBitLength_ThrowsAndKeepsData()
    {
        var (collection, records) = await SeedAsync(DistanceFunction.HammingDistance, IndexKind.Flat, 2);
        var stored = records[0];

        var exception = await AssertRejectedAsync(() => collection.UpsertAsync(
        [
            new BitVectorRecord<TKey> { Key = stored.Key, Number = 99, Tag = "changed", Bits = ToBits("101") },
            new BitVectorRecord<TKey> { Key = NewKey(), Number = 98, Bits = ToBits(Query) },
        ]));

        Assert.Contains("Bits", exception.Message, StringComparison.Ordinal);
        var read = await collection.GetAsync(stored.Key, new() { IncludeVectors = true });
        Assert.Equal(stored.Number, read!.Number);
        Assert.Equal(stored.Tag, read.Tag);
        Assert.Equal(ToString(stored.Bits!), ToString(read.Bits!));
        Assert.Equal(records.Count, await CountAsync(collection));
    }

    [ConformanceFact]
    public async Task Search_WithWrongBitLength_Throws()
    {
        var (collection, _) = await SeedAsync(DistanceFunction.HammingDistance, IndexKind.Flat, 2);

        await AssertRejectedAsync(async () => await collection.SearchAsync(ToBits("1011"), top: 1).ToListAsync());
    }

    [ConformanceTheory]
    [InlineData(DistanceFunction.HammingDistance)]
    [InlineData(JaccardSimilarity)]
    public async Task EmbeddingGeneration_FromText_StoresAndSearchesBinaryEmbeddings(string distanceFunction)
    {
        if (!SupportsBitIndex(IndexKind.Flat, distanceFunction))
        {
            return;
        }

        var generator = new BinaryTestEmbeddingGenerator(Vocabulary);
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(BitVectorRecord<TKey>.Key), typeof(TKey)),
                new VectorStoreDataProperty(nameof(BitVectorRecord<TKey>.Number), typeof(int)) { IsIndexed = true },
                new VectorStoreVectorProperty(nameof(BitVectorRecord<TKey>.Text), typeof(string), generator.Dimensions)
                {
                    DistanceFunction = distanceFunction,
                    IndexKind = IndexKind.Flat,
                    EmbeddingGenerator = generator,
                },
            ],
        };
        var collection = await CreateCollectionAsync<BitVectorRecord<TKey>>("bitgen", definition);
        string[] texts = ["apple banana cherry", "grape lemon", "apple banana mango peach", "plum"];
        await collection.UpsertAsync(texts.Select((t, i) => new BitVectorRecord<TKey> { Key = NewKey(), Number = i, Text = t }).ToList());

        var results = await collection.SearchAsync("apple banana cherry", top: 4).ToListAsync();

        // Hamming 0, 3, 4, 5; Jaccard 1, 2/5, then 0 for both others.
        var ranking = results.Select(r => r.Record.Number).ToList();
        Assert.Equal(distanceFunction == DistanceFunction.HammingDistance ? [0, 2, 3, 1] : [0, 2], distanceFunction == DistanceFunction.HammingDistance ? ranking : ranking.Take(2));
        Assert.Equal(distanceFunction == DistanceFunction.HammingDistance ? 0 : 1, results[0].Score!.Value, Precision);
        Assert.Equal(distanceFunction == DistanceFunction.HammingDistance ? 3 : 2.0 / 5, results[1].Score!.Value, Precision);
        Assert.Contains("apple banana cherry", generator.Inputs);
        Assert.Equal(texts.Length + 1, generator.Inputs.Count);
    }

    /// <summary>The Hamming distance of two bit strings: the count of positions that differ.</summary>
    protected static int Hamming(BitArray a, BitArray b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var count = 0;
        for (var i = 0; i < a.Length; i++)
        {
            count += a[i] != b[i] ? 1 : 0;
        }

        return count;
    }

    /// <summary>The Jaccard similarity of two bit strings: set in both over set in either (0 when neither has a set bit).</summary>
    protected static double Jaccard(BitArray a, BitArray b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int both = 0, either = 0;
        for (var i = 0; i < a.Length; i++)
        {
            both += a[i] && b[i] ? 1 : 0;
            either += a[i] || b[i] ? 1 : 0;
        }

        return either == 0 ? 0 : (double)both / either;
    }

    /// <summary>A bit string such as <c>1010</c> as a <see cref="BitArray"/>, first character first.</summary>
    protected static BitArray ToBits(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return new BitArray(pattern.Select(c => c == '1').ToArray());
    }

    /// <summary>A <see cref="BitArray"/> as a bit string, first bit first.</summary>
    protected static string ToString(BitArray bits)
    {
        ArgumentNullException.ThrowIfNull(bits);
        return string.Concat(Enumerable.Range(0, bits.Length).Select(i => bits[i] ? '1' : '0'));
    }

    /// <summary>The definition of a <see cref="BitVectorRecord{TKey}"/> with its <c>Bits</c> vector of <paramref name="dimensions"/> bits.</summary>
    protected static VectorStoreCollectionDefinition Definition(string distanceFunction, string indexKind, int dimensions = Bits, bool binaryEmbedding = false)
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(BitVectorRecord<TKey>.Key), typeof(TKey)),
                new VectorStoreDataProperty(nameof(BitVectorRecord<TKey>.Number), typeof(int)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(BitVectorRecord<TKey>.Tag), typeof(string)) { IsIndexed = true },
                new VectorStoreVectorProperty(nameof(BitVectorRecord<TKey>.Bits), typeof(BitArray), dimensions)
                {
                    DistanceFunction = distanceFunction,
                    IndexKind = indexKind,
                },
            ],
        };

        if (binaryEmbedding)
        {
            definition.Properties.Add(new VectorStoreVectorProperty(nameof(BitVectorRecord<TKey>.Embedding), typeof(BinaryEmbedding), dimensions)
            {
                DistanceFunction = distanceFunction,
                IndexKind = indexKind,
            });
        }

        return definition;
    }

    private async Task<(VectorStoreCollection<TKey, BitVectorRecord<TKey>> Collection, List<BitVectorRecord<TKey>> Records)> SeedAsync(
        string distanceFunction, string indexKind, int count)
    {
        var collection = await CreateCollectionAsync<BitVectorRecord<TKey>>("bits", Definition(distanceFunction, indexKind));
        var records = Patterns.Take(count).Select((pattern, i) => new BitVectorRecord<TKey>
        {
            Key = NewKey(),
            Number = i,
            Tag = i % 2 == 0 ? "even" : "odd",
            Bits = ToBits(pattern),
        }).ToList();
        await collection.UpsertAsync(records);
        await BuildIndexesAsync(collection);
        return (collection, records);
    }

    private static List<(BitVectorRecord<TKey> Record, double Score)> Expected(string distanceFunction, List<BitVectorRecord<TKey>> records)
    {
        var query = ToBits(Query);
        var scored = records.Select(r => (Record: r, Score: distanceFunction switch
        {
            DistanceFunction.HammingDistance => Hamming(query, r.Bits!),
            JaccardSimilarity => Jaccard(query, r.Bits!),
            JaccardDistance => 1 - Jaccard(query, r.Bits!),
            _ => throw new ArgumentOutOfRangeException(nameof(distanceFunction), distanceFunction, "Not a bit distance function."),
        })).ToList();
        return distanceFunction == JaccardSimilarity ? [.. scored.OrderByDescending(s => s.Score)] : [.. scored.OrderBy(s => s.Score)];
    }

    private async Task AssertRefusedAsync(string distanceFunction, string indexKind)
    {
        var store = CreateStore();
        await Assert.ThrowsAsync<NotSupportedException>(async () =>
        {
            var collection = store.GetCollection<TKey, BitVectorRecord<TKey>>(NewCollectionName("bits", store), Definition(distanceFunction, indexKind));
            await collection.EnsureCollectionExistsAsync();
        });
    }
}
