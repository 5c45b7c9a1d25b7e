namespace AiAllin.SK.Testing.VectorData;

/// <summary>A record with one property of every type the filter conformance tests compare.</summary>
public sealed class FilterRecord<TKey>
    where TKey : notnull
{
    /// <summary>Gets or sets the key.</summary>
    public TKey Key { get; set; } = default!;

    /// <summary>Gets or sets the vector.</summary>
    public ReadOnlyMemory<float> Vector { get; set; }

    /// <summary>Gets or sets an int.</summary>
    public int Count { get; set; }

    /// <summary>Gets or sets a long.</summary>
    public long Views { get; set; }

    /// <summary>Gets or sets a double.</summary>
    public double Price { get; set; }

    /// <summary>Gets or sets a nullable string.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets a bool.</summary>
    public bool Active { get; set; }

    /// <summary>Gets or sets a Guid.</summary>
    public Guid Reference { get; set; }

    /// <summary>Gets or sets a point in time.</summary>
    public DateTimeOffset Published { get; set; }

    /// <summary>Gets or sets a nullable int.</summary>
    public int? Rank { get; set; }

    /// <summary>Gets or sets a string array.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>Gets or sets a string list.</summary>
    public List<string> Labels { get; set; } = [];
}
