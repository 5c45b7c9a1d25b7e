using System.Numerics.Tensors;
using AiAllin.SK.Connectors.InMemory;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Exact top-10 cosine search over 100,000 x 384-dim vectors: the store against a bare TensorPrimitives cosine loop
/// (the baseline), the same loop with precomputed row norms and a dot product (the floor for the store's own method),
/// and a scalar loop (what naive code does). Each invocation runs every query, and <c>OperationsPerInvoke</c> makes
/// the reported time per query. Min and median are shown because a shared machine makes the mean noisy.
/// </summary>
[Config(typeof(CoreCountConfig))]
public class InMemorySearchBenchmarks
{
    private const int RecordCount = 100_000;
    private const int Dimensions = BenchRecord.Dimensions;
    private const int Top = 10;
    private const int QueryCount = 4;
    private const int Categories = 10;
    private const int FilterCategory = 3;
    private const int UpsertBatch = 10_000;

    private float[] _matrix = [];
    private float[] _rowNorms = [];
    private float[][] _queries = [];
    private InMemoryVectorStore _store = null!;
    private VectorStoreCollection<int, BenchRecord> _collection = null!;
    private VectorSearchOptions<BenchRecord> _filtered = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = QueryCount)]
    public int TensorPrimitivesLoop()
    {
        var checksum = 0;
        foreach (var query in _queries)
        {
            checksum += Checksum(SearchTensorPrimitives(query));
        }

        return checksum;
    }

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public int TensorPrimitivesDotLoop()
    {
        var checksum = 0;
        foreach (var query in _queries)
        {
            checksum += Checksum(SearchTensorPrimitivesDot(query));
        }

        return checksum;
    }

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public int ScalarLoop()
    {
        var checksum = 0;
        foreach (var query in _queries)
        {
            checksum += Checksum(SearchScalar(query));
        }

        return checksum;
    }

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public async Task<int> StoreSearch()
    {
        var checksum = 0;
        foreach (var query in _queries)
        {
            await foreach (var result in _collection.SearchAsync(new ReadOnlyMemory<float>(query), Top))
            {
                checksum += result.Record.Id;
            }
        }

        return checksum;
    }

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public async Task<int> StoreSearchFiltered()
    {
        var checksum = 0;
        foreach (var query in _queries)
        {
            await foreach (var result in _collection.SearchAsync(new ReadOnlyMemory<float>(query), Top, _filtered))
            {
                checksum += result.Record.Id;
            }
        }

        return checksum;
    }

    private static int Checksum(TopK top)
    {
        var sum = 0;
        foreach (var id in top.Ids)
        {
            sum += id;
        }

        return sum;
    }

    private TopK SearchTensorPrimitives(float[] query)
    {
        var top = new TopK(Top);
        ReadOnlySpan<float> matrix = _matrix;
        for (var i = 0; i < RecordCount; i++)
        {
            top.Add(i, TensorPrimitives.CosineSimilarity(query, matrix.Slice(i * Dimensions, Dimensions)));
        }

        return top;
    }

    private TopK SearchTensorPrimitivesDot(float[] query)
    {
        var top = new TopK(Top);
        ReadOnlySpan<float> matrix = _matrix;
        var queryNorm = TensorPrimitives.Norm(query);
        for (var i = 0; i < RecordCount; i++)
        {
            top.Add(i, TensorPrimitives.Dot(query, matrix.Slice(i * Dimensions, Dimensions)) / (queryNorm * _rowNorms[i]));
        }

        return top;
    }

    private TopK SearchScalar(float[] query)
    {
        var top = new TopK(Top);
        var matrix = _matrix;
        for (var i = 0; i < RecordCount; i++)
        {
            var offset = i * Dimensions;
            float dot = 0, queryNorm = 0, rowNorm = 0;
            for (var d = 0; d < Dimensions; d++)
            {
                var a = query[d];
                var b = matrix[offset + d];
                dot += a * b;
                queryNorm += a * a;
                rowNorm += b * b;
            }

            top.Add(i, dot / (MathF.Sqrt(queryNorm) * MathF.Sqrt(rowNorm)));
        }

        return top;
    }

    private async Task SetupAsync()
    {
        var vectors = new SyntheticVectors(Dimensions, seed: 20261125);
        _matrix = new float[RecordCount * Dimensions];
        var categories = new int[RecordCount];
        for (var i = 0; i < RecordCount; i++)
        {
            vectors.Next(_matrix.AsSpan(i * Dimensions, Dimensions));
            categories[i] = vectors.NextCategory(Categories);
        }

        _queries = [.. Enumerable.Range(0, QueryCount).Select(_ => vectors.Next())];
        _rowNorms = new float[RecordCount];
        for (var i = 0; i < RecordCount; i++)
        {
            _rowNorms[i] = TensorPrimitives.Norm(_matrix.AsSpan(i * Dimensions, Dimensions));
        }

        _store = new InMemoryVectorStore();
        _collection = _store.GetCollection<int, BenchRecord>("bench");
        await _collection.EnsureCollectionExistsAsync();
        for (var start = 0; start < RecordCount; start += UpsertBatch)
        {
            var batch = new List<BenchRecord>(UpsertBatch);
            for (var i = start; i < start + UpsertBatch; i++)
            {
                batch.Add(new BenchRecord { Id = i, Category = categories[i], Embedding = _matrix.AsMemory(i * Dimensions, Dimensions).ToArray() });
            }

            await _collection.UpsertAsync(batch);
        }

        _filtered = new VectorSearchOptions<BenchRecord> { Filter = r => r.Category == FilterCategory };
        await VerifySameAnswersAsync(categories);
    }

    // A speed comparison only means something if every method finds the same neighbours.
    private async Task VerifySameAnswersAsync(int[] categories)
    {
        foreach (var query in _queries)
        {
            var expected = SearchTensorPrimitives(query).Ids.ToArray();
            var scalar = SearchScalar(query).Ids.ToArray();
            var dot = SearchTensorPrimitivesDot(query).Ids.ToArray();
            var store = await _collection.SearchAsync(new ReadOnlyMemory<float>(query), Top).Select(r => r.Record.Id).ToArrayAsync();
            var filtered = await _collection.SearchAsync(new ReadOnlyMemory<float>(query), Top, _filtered).Select(r => r.Record.Id).ToArrayAsync();
            var expectedFiltered = Enumerable.Range(0, RecordCount)
                .Where(i => categories[i] == FilterCategory)
                .OrderByDescending(i => TensorPrimitives.CosineSimilarity(query, _matrix.AsSpan(i * Dimensions, Dimensions)))
                .Take(Top)
                .ToArray();

            if (!expected.SequenceEqual(scalar) || !expected.SequenceEqual(dot) || !expected.SequenceEqual(store) || !expectedFiltered.SequenceEqual(filtered))
            {
                throw new InvalidOperationException(
                    $"Methods disagree: bare [{string.Join(',', expected)}] scalar [{string.Join(',', scalar)}] store [{string.Join(',', store)}] " +
                    $"filtered expected [{string.Join(',', expectedFiltered)}] store [{string.Join(',', filtered)}].");
            }
        }
    }
}
