using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Plain, obviously correct implementations of the distance functions, in double precision, used as the oracle
/// that search scores are checked against.
/// </summary>
public static class ReferenceScores
{
    /// <summary>Gets a value indicating whether a higher score means more similar for <paramref name="distanceFunction"/>.</summary>
    public static bool HigherIsCloser(string distanceFunction) => distanceFunction switch
    {
        DistanceFunction.CosineSimilarity or DistanceFunction.DotProductSimilarity => true,
        DistanceFunction.CosineDistance or DistanceFunction.NegativeDotProductSimilarity
            or DistanceFunction.EuclideanDistance or DistanceFunction.EuclideanSquaredDistance => false,
        _ => throw new ArgumentOutOfRangeException(nameof(distanceFunction), distanceFunction, "No reference for this distance function."),
    };

    /// <summary>The score of <paramref name="candidate"/> against <paramref name="query"/> under <paramref name="distanceFunction"/>.</summary>
    public static double Score(string distanceFunction, IReadOnlyList<float> query, IReadOnlyList<float> candidate)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidate);
        if (query.Count != candidate.Count)
        {
            throw new ArgumentException("The vectors differ in length.", nameof(candidate));
        }

        double dot = 0, queryNorm = 0, candidateNorm = 0, squared = 0;
        for (var i = 0; i < query.Count; i++)
        {
            double q = query[i], c = candidate[i];
            dot += q * c;
            queryNorm += q * q;
            candidateNorm += c * c;
            squared += (q - c) * (q - c);
        }

        var cosine = dot / (Math.Sqrt(queryNorm) * Math.Sqrt(candidateNorm));
        return distanceFunction switch
        {
            DistanceFunction.CosineSimilarity => cosine,
            DistanceFunction.CosineDistance => 1 - cosine,
            DistanceFunction.DotProductSimilarity => dot,
            DistanceFunction.NegativeDotProductSimilarity => -dot,
            DistanceFunction.EuclideanDistance => Math.Sqrt(squared),
            DistanceFunction.EuclideanSquaredDistance => squared,
            _ => throw new ArgumentOutOfRangeException(nameof(distanceFunction), distanceFunction, "No reference for this distance function."),
        };
    }
}
