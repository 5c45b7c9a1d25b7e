using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class Product
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreData(IsIndexed = true)]
    public string? Name { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public int Price { get; set; }

    [VectorStoreData]
    public bool InStock { get; set; }

    [VectorStoreData]
    public List<string> Tags { get; set; } = [];

    [VectorStoreVector(3)]
    public ReadOnlyMemory<float> Embedding { get; set; }
}

public sealed class Document
{
    [VectorStoreKey]
    public int Id { get; set; }

    [VectorStoreData(IsFullTextIndexed = true)]
    public string Text { get; set; } = string.Empty;

    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> Vector { get; set; }
}

public sealed class GuidRecord
{
    [VectorStoreKey]
    public Guid Id { get; set; }

    [VectorStoreData]
    public string? Text { get; set; }

    [VectorStoreVector(2)]
    public float[]? Vector { get; set; }
}

public sealed class LongRecord
{
    [VectorStoreKey]
    public long Id { get; set; }

    [VectorStoreData]
    public double Score { get; set; }

    [VectorStoreVector(2)]
    public Embedding<float>? Vector { get; set; }
}

public sealed class TextRecord
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreVector(3)]
    public string? Text { get; set; }
}

public sealed class UnsupportedDataRecord
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreData]
    public Uri? Link { get; set; }

    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> Vector { get; set; }
}

public sealed class DoubleVectorRecord
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreVector(2)]
    public ReadOnlyMemory<double> Vector { get; set; }
}

public enum Priority
{
    Low,
    Normal,
    High,
}

public sealed class Ticket
{
    [VectorStoreKey]
    public long Id { get; set; }

    [VectorStoreData]
    public Priority Priority { get; set; }

    [VectorStoreData]
    public Priority? Escalation { get; set; }

    [VectorStoreData]
    public DateTimeOffset Opened { get; set; }

    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> Vector { get; set; }
}

public sealed class ComputedVectorRecord
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreData(IsFullTextIndexed = true)]
    public string Text { get; set; } = string.Empty;

    [VectorStoreVector(3)]
    public string Embedding => Text;
}
