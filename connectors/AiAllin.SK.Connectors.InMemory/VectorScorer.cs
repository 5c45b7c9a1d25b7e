using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// Exact vector scoring over a <see cref="VectorColumn"/>, chunk by chunk. Each distance function is a struct so the scan loop is
/// specialised per function by the JIT: no per-row virtual call, branch on the function, or allocation.
/// </summary>
internal static class VectorScorer
{
    public const string DefaultDistanceFunction = DistanceFunction.CosineSimilarity;

    /// <summary>Below this many rows per core a parallel scan costs more in coordination than it saves.</summary>
    private const int MinRowsPerPartition = 16_384;

    /// <summary>Whether a larger score means a closer match for <paramref name="distanceFunction"/>.</summary>
    public static bool HigherIsBetter(string distanceFunction)
        => distanceFunction is DistanceFunction.CosineSimilarity or DistanceFunction.DotProductSimilarity or InMemoryDistanceFunction.JaccardSimilarity;

    /// <summary>Whether <paramref name="distanceFunction"/> is served for float vectors.</summary>
    public static bool IsSupported(string distanceFunction)
        => distanceFunction is DistanceFunction.CosineSimilarity or DistanceFunction.CosineDistance
            or DistanceFunction.DotProductSimilarity or DistanceFunction.NegativeDotProductSimilarity
            or DistanceFunction.EuclideanDistance or DistanceFunction.EuclideanSquaredDistance
            or DistanceFunction.ManhattanDistance or DistanceFunction.HammingDistance;

    /// <summary>Whether <paramref name="distanceFunction"/> is served for bit vectors.</summary>
    public static bool IsSupportedForBits(string distanceFunction)
        => distanceFunction is DistanceFunction.HammingDistance or InMemoryDistanceFunction.JaccardSimilarity or InMemoryDistanceFunction.JaccardDistance;

    /// <summary>
    /// Finds the <paramref name="count"/> best rows passing <paramref name="filter"/> and the threshold, best first.
    /// Large collections are scanned in parallel partitions, each with its own bounded heap, merged at the end.
    /// </summary>
    public static List<(int Slot, float Score)> TopK(
        VectorColumn column, int highWater, object query, string distanceFunction, Func<int, bool>? filter, double? threshold, int count)
    {
        // More partitions than cores lets a core that is not pre-empted take over the work of one that is.
        var cores = Environment.ProcessorCount;
        var partitions = cores == 1 ? 1 : Math.Clamp(highWater / MinRowsPerPartition, 1, cores * 4);
        var capacity = Math.Min(count, highWater) + 1;
        if (partitions == 1)
        {
            var heap = new PriorityQueue<int, Rank>(capacity, RankComparer.Instance);
            Dispatch(column, distanceFunction, query, new Scan(0, highWater, filter, threshold, heap, count, Results: null));
            return Drain(heap, HigherIsBetter(distanceFunction));
        }

        var heaps = new PriorityQueue<int, Rank>[partitions];
        Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = cores }, partition =>
        {
            var heap = new PriorityQueue<int, Rank>(capacity, RankComparer.Instance);
            var start = (int)((long)highWater * partition / partitions);
            var end = (int)((long)highWater * (partition + 1) / partitions);
            Dispatch(column, distanceFunction, query, new Scan(start, end, filter, threshold, heap, count, Results: null));
            heaps[partition] = heap;
        });

        var merged = new PriorityQueue<int, Rank>(capacity, RankComparer.Instance);
        foreach (var heap in heaps)
        {
            while (heap.TryDequeue(out var slot, out var rank))
            {
                Offer(merged, slot, rank.Value, count);
            }
        }

        return Drain(merged, HigherIsBetter(distanceFunction));
    }

    /// <summary>Scores every row passing <paramref name="filter"/> and the threshold, in slot order.</summary>
    public static List<(int Slot, float Score)> ScoreAll(
        VectorColumn column, int highWater, object query, string distanceFunction, Func<int, bool>? filter, double? threshold)
    {
        var results = new List<(int Slot, float Score)>();
        Dispatch(column, distanceFunction, query, new Scan(0, highWater, filter, threshold, Heap: null, 0, results));
        return results;
    }

    /// <summary>Runs the scan with the scorer of <paramref name="distanceFunction"/>; <paramref name="query"/> is a float[] or packed bits (ulong[]).</summary>
    private static void Dispatch(VectorColumn column, string distanceFunction, object query, Scan scan)
    {
        if (column is BitVectorColumn bitColumn)
        {
            var words = (ulong[])query;
            var queryCount = BitVectorColumn.PopCount(words);
            switch (distanceFunction)
            {
                case DistanceFunction.HammingDistance: Run(bitColumn, new BitHamming(words), scan); break;
                case InMemoryDistanceFunction.JaccardSimilarity: Run(bitColumn, new BitJaccardSimilarity(words, queryCount), scan); break;
                case InMemoryDistanceFunction.JaccardDistance: Run(bitColumn, new BitJaccardDistance(words, queryCount), scan); break;
                default: throw new NotSupportedException($"Distance function '{distanceFunction}' is not supported for bit vectors by the in-memory vector store.");
            }

            return;
        }

        var floats = (FloatVectorColumn)column;
        var floatQuery = (float[])query;
        Dispatch(floats, distanceFunction, floatQuery, scan);
    }

    private static void Dispatch(FloatVectorColumn floats, string distanceFunction, float[] query, Scan scan)
    {
        var norm = TensorPrimitives.Norm(query);
        switch (distanceFunction)
        {
            case DistanceFunction.CosineSimilarity: Run(floats, new CosineSimilarity(query, norm), scan); break;
            case DistanceFunction.CosineDistance: Run(floats, new CosineDistance(query, norm), scan); break;
            case DistanceFunction.DotProductSimilarity: Run(floats, new DotProduct(query), scan); break;
            case DistanceFunction.NegativeDotProductSimilarity: Run(floats, new NegativeDotProduct(query), scan); break;
            case DistanceFunction.EuclideanDistance: Run(floats, new Euclidean(query), scan); break;
            case DistanceFunction.EuclideanSquaredDistance: Run(floats, new EuclideanSquared(query), scan); break;
            case DistanceFunction.ManhattanDistance: Run(floats, new Manhattan(query, new float[query.Length]), scan); break;
            case DistanceFunction.HammingDistance: Run(floats, new Hamming(query), scan); break;
            default: throw new NotSupportedException($"Distance function '{distanceFunction}' is not supported by the in-memory vector store.");
        }
    }

    /// <summary>Scores the rows of <paramref name="scan"/>'s slot range, chunk by chunk.</summary>
    private static void Run<T, TScorer>(ChunkedVectorColumn<T> column, TScorer scorer, Scan scan)
        where T : unmanaged
        where TScorer : struct, IScorer<T>
    {
        var width = column.RowWidth;
        var filter = scan.Filter;
        var hasThreshold = scan.Threshold.HasValue;
        var threshold = (float)scan.Threshold.GetValueOrDefault();
        var heap = scan.Heap;
        var count = scan.Count;

        var slot = scan.Start;
        while (slot < scan.End)
        {
            var chunk = slot >> ChunkedVectorColumn<T>.ChunkShift;
            var chunkStart = chunk << ChunkedVectorColumn<T>.ChunkShift;
            var data = column.DataChunks[chunk];
            var aux = column.AuxChunks[chunk];
            var present = column.PresentChunks[chunk];
            var end = Math.Min(scan.End, chunkStart + present.Length);
            for (; slot < end; slot++)
            {
                var row = slot - chunkStart;

                // The filter runs before the score so that a selective filter saves the vector work.
                if (!present[row] || (filter is not null && !filter(slot)))
                {
                    continue;
                }

                var score = scorer.Score(new ReadOnlySpan<T>(data, row * width, width), aux[row]);
                if (float.IsNaN(score) || (hasThreshold && (TScorer.HigherIsBetter ? score < threshold : score > threshold)))
                {
                    continue;
                }

                if (heap is null)
                {
                    scan.Results!.Add((slot, score));
                    continue;
                }

                Offer(heap, slot, TScorer.HigherIsBetter ? score : -score, count);
            }
        }
    }

    /// <summary>
    /// Keeps the <paramref name="count"/> highest ranks in a min-heap; among equal ranks the lower slots, so that ties
    /// (frequent with Hamming distances) resolve the same way whatever the partitioning.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(PriorityQueue<int, Rank> heap, int slot, float rank, int count)
    {
        if (heap.Count < count)
        {
            heap.Enqueue(slot, new Rank(rank, slot));
        }
        else if (heap.TryPeek(out _, out var worst) && (rank > worst.Value || (rank == worst.Value && slot < worst.Slot)))
        {
            heap.DequeueEnqueue(slot, new Rank(rank, slot));
        }
    }

    private static List<(int Slot, float Score)> Drain(PriorityQueue<int, Rank> heap, bool higherIsBetter)
    {
        var ranked = new List<(int Slot, float Rank)>(heap.Count);
        while (heap.TryDequeue(out var slot, out var rank))
        {
            ranked.Add((slot, rank.Value));
        }

        ranked.Sort(static (a, b) => b.Rank != a.Rank ? b.Rank.CompareTo(a.Rank) : a.Slot.CompareTo(b.Slot));
        return ranked.ConvertAll(r => (r.Slot, higherIsBetter ? r.Rank : -r.Rank));
    }

    /// <summary>A heap priority: the rank (higher is better), then the slot (lower is better).</summary>
    private readonly record struct Rank(float Value, int Slot);

    /// <summary>Orders worst first: the lowest rank, and among equal ranks the highest slot.</summary>
    private sealed class RankComparer : IComparer<Rank>
    {
        public static readonly RankComparer Instance = new();

        public int Compare(Rank x, Rank y) => x.Value != y.Value ? x.Value.CompareTo(y.Value) : y.Slot.CompareTo(x.Slot);
    }

    private sealed record Scan(
        int Start, int End, Func<int, bool>? Filter, double? Threshold,
        PriorityQueue<int, Rank>? Heap, int Count, List<(int Slot, float Score)>? Results);

    /// <summary>Scores one row; <c>rowAux</c> is the row's auxiliary number (its norm, or its bit count).</summary>
    private interface IScorer<T>
    {
        static abstract bool HigherIsBetter { get; }

        float Score(ReadOnlySpan<T> row, float rowAux);
    }

    private readonly struct CosineSimilarity(float[] query, float queryNorm) : IScorer<float>
    {
        public static bool HigherIsBetter => true;

        public float Score(ReadOnlySpan<float> row, float rowNorm)
        {
            var denominator = queryNorm * rowNorm;
            return denominator == 0 ? 0 : TensorPrimitives.Dot(query, row) / denominator;
        }
    }

    private readonly struct CosineDistance(float[] query, float queryNorm) : IScorer<float>
    {
        public static bool HigherIsBetter => false;

        public float Score(ReadOnlySpan<float> row, float rowNorm)
        {
            var denominator = queryNorm * rowNorm;
            return denominator == 0 ? 1 : 1 - (TensorPrimitives.Dot(query, row) / denominator);
        }
    }

    private readonly struct DotProduct(float[] query) : IScorer<float>
    {
        public static bool HigherIsBetter => true;

        public float Score(ReadOnlySpan<float> row, float rowNorm) => TensorPrimitives.Dot(query, row);
    }

    private readonly struct NegativeDotProduct(float[] query) : IScorer<float>
    {
        public static bool HigherIsBetter => false;

        public float Score(ReadOnlySpan<float> row, float rowNorm) => -TensorPrimitives.Dot(query, row);
    }

    private readonly struct Euclidean(float[] query) : IScorer<float>
    {
        public static bool HigherIsBetter => false;

        public float Score(ReadOnlySpan<float> row, float rowNorm) => TensorPrimitives.Distance(query, row);
    }

    private readonly struct EuclideanSquared(float[] query) : IScorer<float>
    {
        public static bool HigherIsBetter => false;

        public float Score(ReadOnlySpan<float> row, float rowNorm)
        {
            var distance = TensorPrimitives.Distance(query, row);
            return distance * distance;
        }
    }

    private readonly struct Manhattan(float[] query, float[] scratch) : IScorer<float>
    {
        public static bool HigherIsBetter => false;

        public float Score(ReadOnlySpan<float> row, float rowNorm)
        {
            TensorPrimitives.Subtract(query, row, scratch);
            return TensorPrimitives.SumOfMagnitudes(scratch);
        }
    }

    private readonly struct Hamming(float[] query) : IScorer<float>
    {
        public static bool HigherIsBetter => false;

        public float Score(ReadOnlySpan<float> row, float rowNorm)
        {
            var differences = 0;
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] != query[i])
                {
                    differences++;
                }
            }

            return differences;
        }
    }

    /// <summary>The number of differing bits.</summary>
    private readonly struct BitHamming(ulong[] query) : IScorer<ulong>
    {
        public static bool HigherIsBetter => false;

        public float Score(ReadOnlySpan<ulong> row, float rowBitCount)
        {
            var differences = 0;
            for (var i = 0; i < row.Length; i++)
            {
                differences += BitOperations.PopCount(row[i] ^ query[i]);
            }

            return differences;
        }
    }

    private readonly struct BitJaccardSimilarity(ulong[] query, int queryBitCount) : IScorer<ulong>
    {
        public static bool HigherIsBetter => true;

        public float Score(ReadOnlySpan<ulong> row, float rowBitCount) => Jaccard(query, queryBitCount, row, rowBitCount);
    }

    private readonly struct BitJaccardDistance(ulong[] query, int queryBitCount) : IScorer<ulong>
    {
        public static bool HigherIsBetter => false;

        public float Score(ReadOnlySpan<ulong> row, float rowBitCount) => 1 - Jaccard(query, queryBitCount, row, rowBitCount);
    }

    /// <summary>Bits set in both over bits set in either; 0 when no bit is set in both (as pgvector's Jaccard distance of 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Jaccard(ulong[] query, int queryBitCount, ReadOnlySpan<ulong> row, float rowBitCount)
    {
        var common = 0;
        for (var i = 0; i < row.Length; i++)
        {
            common += BitOperations.PopCount(row[i] & query[i]);
        }

        return common == 0 ? 0 : common / (queryBitCount + rowBitCount - common);
    }
}
