using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

/// <summary>A small record for the Postgres-specific tests.</summary>
public sealed class Article
{
    [VectorStoreKey]
    public long Id { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public string? Title { get; set; }

    [VectorStoreData(IsFullTextIndexed = true)]
    public string Body { get; set; } = string.Empty;

    [VectorStoreData(IsIndexed = true)]
    public int Version { get; set; }

    [VectorStoreVector(4, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> Embedding { get; set; }
}

/// <summary>A record stored as halfvec.</summary>
public sealed class HalfArticle
{
    [VectorStoreKey]
    public Guid Id { get; set; }

    [VectorStoreData]
    public string? Title { get; set; }

    [VectorStoreVector(3, DistanceFunction = DistanceFunction.EuclideanDistance)]
    public ReadOnlyMemory<Half> Embedding { get; set; }
}

/// <summary>Test data helpers.</summary>
internal static class Articles
{
    public static Article Make(long id, string title, float[] embedding, int version = 1, string? body = null)
        => new() { Id = id, Title = title, Body = body ?? title, Version = version, Embedding = embedding };

    /// <summary>Deterministic pseudo-random unit-ish vectors.</summary>
    public static float[] Vector(int seed, int dimensions)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
