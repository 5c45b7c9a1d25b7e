using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Core.VectorData;

/// <summary>
/// The names of the bit-vector distance functions beyond MEVD's <see cref="DistanceFunction.HammingDistance"/>, shared by
/// every store of this pack that holds <see cref="System.Collections.BitArray"/> or <c>BinaryEmbedding</c> vectors (each
/// store also exposes them on its own distance-function class).
/// </summary>
public static class BitDistanceFunction
{
    /// <summary>
    /// The Jaccard similarity of two bit vectors: the bits set in both over the bits set in either, from 0 (no common bit)
    /// to 1 (the same bits). Higher is closer; two vectors without any set bit score 0.
    /// </summary>
    public const string JaccardSimilarity = nameof(JaccardSimilarity);

    /// <summary>The Jaccard distance of two bit vectors, 1 minus <see cref="JaccardSimilarity"/>. Lower is closer.</summary>
    public const string JaccardDistance = nameof(JaccardDistance);
}
