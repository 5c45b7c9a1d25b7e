using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// Distance functions of bit vectors (<see cref="System.Collections.BitArray"/>, <c>BinaryEmbedding</c>) beyond MEVD's
/// <see cref="DistanceFunction.HammingDistance"/>, named the way MEVD names its cosine pair. The values are the same
/// strings the pack's PostgreSQL store uses, so one record type runs on both.
/// </summary>
public static class InMemoryDistanceFunction
{
    /// <summary>
    /// The Jaccard similarity of two bit vectors: the bits set in both over the bits set in either, from 0 (no common
    /// bit) to 1 (the same bits). Higher is closer. Two vectors without any set bit score 0.
    /// </summary>
    public const string JaccardSimilarity = BitDistanceFunction.JaccardSimilarity;

    /// <summary>The Jaccard distance of two bit vectors, 1 minus <see cref="JaccardSimilarity"/>: from 0 (the same bits) to 1. Lower is closer.</summary>
    public const string JaccardDistance = BitDistanceFunction.JaccardDistance;
}
