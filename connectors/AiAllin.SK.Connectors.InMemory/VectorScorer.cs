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
        => distanceFunction is DistanceFunction.CosineSimilarity or DistanceFunction.DotProductSimilarity;

    public static bool IsSupported(string distanceFunction)
        => distanceFunction is DistanceFunction.CosineSimilarity or DistanceFunction.CosineDistance
            or DistanceFunction.DotProductSimilarity or DistanceFunction.NegativeDotProductSimilarity
            or DistanceFunction.EuclideanDistance or DistanceFunction.EuclideanSquaredDistance
            or DistanceFunction.ManhattanDistance or DistanceFunction.HammingDistance;

    /// <summary>
    /// Finds the <paramref name="count"/> best rows passing <paramref name="filter"/> and the threshold, best first.
    /// Large collections are scanned in parallel partitions, each with its own bounded heap, merged at the end.
    /// </summary>
    public static List<(int Slot, float Score)> TopK(
        VectorColumn column, int highWater, float[] query, string distanceFunction, Func<int, bool>? filter, double? threshold, int count)
    {
        // More partitions than cores lets a core that is not pre-empted take over the work of one that is.
        var cores = Environment.ProcessorCount;
        var partitions = cores == 1 ? 1 : Math.Clamp(highWater / MinRowsPerPartition, 1, cores * 4);
        var capacity = Math.Min(count, highWater) + 1;
        if (partitions == 1)
        {
            var heap = new PriorityQueue<int, float>(capacity);
            Dispatch(column, distanceFunction, query, new Scan(0, highWater, filter, threshold, heap, count, Results: null));
            return Drain(heap, HigherIsBetter(distanceFunction));
        }

        var heaps = new PriorityQueue<int, float>[partitions];
        Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = cores }, partition =>
        {
            var heap = new PriorityQueue<int, float>(capacity);
            var start = (int)((long)highWater * partition / partitions);
            var end = (int)((long)highWater * (partition + 1) / partitions);
            Dispatch(column, distanceFunction, query, new Scan(start, end, filter, threshold, heap, count, Results: null));
            heaps[partition] = heap;
        });

        var merged = new PriorityQueue<int, float>(capacity);
        foreach (var heap in heaps)
        {
            while (heap.TryDequeue(out var slot, out var rank))
            {
                Offer(merged, slot, rank, count);
            }
        }

        return Drain(merged, HigherIsBetter(distanceFunction));
    }

    /// <summary>Scores every row passing <paramref name="filter"/> and the threshold, in slot order.</summary>
    public static List<(int Slot, float Score)> ScoreAll(
        VectorColumn column, int highWater, float[] query, string distanceFunction, Func<int, bool>? filter, double? threshold)
    {
        var results = new List<(int Slot, float Score)>();
        Dispatch(column, distanceFunction, query, new Scan(0, highWater, filter, threshold, Heap: null, 0, results));
        return results;
    }

    private static void Dispatch(VectorColumn column, string distanceFunction, float[] query, Scan scan)
    {
        var floats = (FloatVectorColumn)column;
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

    /// <summary>Keeps the <paramref name="count"/> highest ranks in a min-heap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(PriorityQueue<int, float> heap, int slot, float rank, int count)
    {
        if (heap.Count < count)
        {
            heap.Enqueue(slot, rank);
        }
        else if (heap.TryPeek(out _, out var worst) && rank > worst)
        {
            heap.DequeueEnqueue(slot, rank);
        }
    }

    private static List<(int Slot, float Score)> Drain(PriorityQueue<int, float> heap, bool higherIsBetter)
    {
        var ranked = new List<(int Slot, float Rank)>(heap.Count);
        while (heap.TryDequeue(out var slot, out var rank))
        {
            ranked.Add((slot, rank));
        }

        ranked.Sort(static (a, b) => b.Rank != a.Rank ? b.Rank.CompareTo(a.Rank) : a.Slot.CompareTo(b.Slot));
        return ranked.ConvertAll(r => (r.Slot, higherIsBetter ? r.Rank : -r.Rank));
    }

    private sealed record Scan(
        int Start, int End, Func<int, bool>? Filter, double? Threshold,
        PriorityQueue<int, float>? Heap, int Count, List<(int Slot, float Score)>? Results);

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
}
