namespace AiAllin.SK.Testing.VectorData;

/// <summary>A record with two vector properties.</summary>
public sealed class TwoVectorRecord<TKey>
    where TKey : notnull
{
    /// <summary>Gets or sets the key.</summary>
    public TKey Key { get; set; } = default!;

    /// <summary>Gets or sets a code that identifies the record in assertions.</summary>
    public int Code { get; set; }

    /// <summary>Gets or sets the first vector.</summary>
    public ReadOnlyMemory<float> First { get; set; }

    /// <summary>Gets or sets the second vector.</summary>
    public ReadOnlyMemory<float> Second { get; set; }
}
