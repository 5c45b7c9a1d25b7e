using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>A record mapped through attributes only, with storage names that differ from the property names.</summary>
public sealed class AttributedRecord<TKey>
    where TKey : notnull
{
    /// <summary>Gets or sets the key.</summary>
    [VectorStoreKey(StorageName = "record_id")]
    public TKey Key { get; set; } = default!;

    /// <summary>Gets or sets a title.</summary>
    [VectorStoreData(IsIndexed = true, StorageName = "title_text")]
    public string? Title { get; set; }

    /// <summary>Gets or sets a rating.</summary>
    [VectorStoreData(IsIndexed = true)]
    public double Rating { get; set; }

    /// <summary>Gets or sets tags.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string[] Tags { get; set; } = [];

    /// <summary>Gets or sets the time the record was written.</summary>
    [VectorStoreData]
    public DateTimeOffset Written { get; set; }

    /// <summary>Gets or sets the vector.</summary>
    [VectorStoreVector(3, DistanceFunction = DistanceFunction.CosineSimilarity, StorageName = "embedding_vec")]
    public ReadOnlyMemory<float> Vector { get; set; }
}
