using Microsoft.Extensions.AI;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>A record whose vectors use the other common vector property types: <c>float[]</c> and <c>Embedding&lt;float&gt;</c>.</summary>
public sealed class VectorTypesRecord<TKey>
    where TKey : notnull
{
    /// <summary>Gets or sets the key.</summary>
    public TKey Key { get; set; } = default!;

    /// <summary>Gets or sets a code that identifies the record in assertions.</summary>
    public int Code { get; set; }

    /// <summary>Gets or sets a vector held in an array.</summary>
#pragma warning disable CA1819 // A float[] vector property is exactly what this record exists to test.
    public float[]? ArrayVector { get; set; }
#pragma warning restore CA1819

    /// <summary>Gets or sets a vector held in an embedding.</summary>
    public Embedding<float>? EmbeddingVector { get; set; }
}
