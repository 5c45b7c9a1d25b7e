using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Benchmarks;

public sealed class BenchRecord
{
    public const int Dimensions = 384;

    [VectorStoreKey]
    public int Id { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public int Category { get; set; }

    [VectorStoreVector(Dimensions, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> Embedding { get; set; }
}
