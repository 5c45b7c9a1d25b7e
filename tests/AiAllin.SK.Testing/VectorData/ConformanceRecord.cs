namespace AiAllin.SK.Testing.VectorData;

/// <summary>A plain record mapped through a <c>VectorStoreCollectionDefinition</c> (no attributes).</summary>
public sealed class ConformanceRecord<TKey>
    where TKey : notnull
{
    /// <summary>Gets or sets the key.</summary>
    public TKey Key { get; set; } = default!;

    /// <summary>Gets or sets a nullable text.</summary>
    public string? Text { get; set; }

    /// <summary>Gets or sets a number.</summary>
    public int Number { get; set; }

    /// <summary>Gets or sets the vector.</summary>
    public ReadOnlyMemory<float> Vector { get; set; }
}
