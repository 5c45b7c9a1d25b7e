namespace AiAllin.SK.Testing.VectorData;

/// <summary>A record whose vector property is a string that the store embeds through an embedding generator.</summary>
public sealed class TextEmbeddingRecord<TKey>
    where TKey : notnull
{
    /// <summary>Gets or sets the key.</summary>
    public TKey Key { get; set; } = default!;

    /// <summary>Gets or sets the text that is embedded as the vector.</summary>
    public string? Embedding { get; set; }

    /// <summary>Gets or sets a label.</summary>
    public string? Label { get; set; }
}
