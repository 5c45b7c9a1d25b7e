namespace AiAllin.SK.Testing.VectorData;

/// <summary>A record with a single data property of type <typeparamref name="TValue"/>, for data-type tests.</summary>
public sealed class ValueRecord<TKey, TValue>
    where TKey : notnull
{
    /// <summary>Gets or sets the key.</summary>
    public TKey Key { get; set; } = default!;

    /// <summary>Gets or sets the value under test.</summary>
    public TValue Value { get; set; } = default!;

    /// <summary>Gets or sets the vector.</summary>
    public ReadOnlyMemory<float> Vector { get; set; }
}
