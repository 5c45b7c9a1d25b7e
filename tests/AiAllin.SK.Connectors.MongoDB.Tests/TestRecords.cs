using Microsoft.Extensions.VectorData;
using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

public enum Color
{
    Red,
    Green,
}

public sealed class Article
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreData(IsIndexed = true, IsFullTextIndexed = true)]
    public string? Title { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public int Views { get; set; }

    [VectorStoreData(StorageName = "score_long")]
    public long Score { get; set; }

    [VectorStoreData]
    public string[] Tags { get; set; } = [];

    [VectorStoreData]
    public Color Color { get; set; }

    [VectorStoreData]
    public DateTimeOffset? ExpiresAt { get; set; }

    [VectorStoreVector(3, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> Embedding { get; set; }
}

public sealed class AllTypes
{
    [VectorStoreKey]
    public Guid Id { get; set; }

    [VectorStoreData]
    public bool Flag { get; set; }

    [VectorStoreData]
    public short Small { get; set; }

    [VectorStoreData]
    public int Number { get; set; }

    [VectorStoreData]
    public long Big { get; set; }

    [VectorStoreData]
    public float Ratio { get; set; }

    [VectorStoreData]
    public double Precise { get; set; }

    [VectorStoreData]
    public decimal Money { get; set; }

    [VectorStoreData]
    public string? Text { get; set; }

    [VectorStoreData]
    public Guid Other { get; set; }

    [VectorStoreData]
    public DateTime When { get; set; }

    [VectorStoreData]
    public DateTimeOffset At { get; set; }

    [VectorStoreData]
    public DateOnly Day { get; set; }

    [VectorStoreData]
    public TimeOnly Time { get; set; }

    [VectorStoreData]
    public byte[]? Blob { get; set; }

    [VectorStoreData]
    public int? Maybe { get; set; }

    [VectorStoreData]
    public List<long> Longs { get; set; } = [];

    [VectorStoreData]
    public Color Color { get; set; }

    [VectorStoreVector(2)]
    public float[]? Vector { get; set; }
}

public sealed class ObjectIdRecord
{
    [VectorStoreKey]
    public ObjectId Id { get; set; }

    [VectorStoreData]
    public string? Name { get; set; }
}
