namespace AiAllin.SK.Testing.VectorData;

/// <summary>A record with two texts for keyword search and one vector.</summary>
public sealed class HybridRecord<TKey>
    where TKey : notnull
{
    /// <summary>Gets or sets the key.</summary>
    public TKey Key { get; set; } = default!;

    /// <summary>Gets or sets the main text.</summary>
    public string Text { get; set; } = string.Empty;

    /// <summary>Gets or sets a second text.</summary>
    public string Extra { get; set; } = string.Empty;

    /// <summary>Gets or sets a code that identifies the record in assertions.</summary>
    public int Code { get; set; }

    /// <summary>Gets or sets the vector.</summary>
    public ReadOnlyMemory<float> Vector { get; set; }
}
