using System.Collections;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>A record with bit vectors, mapped through a <c>VectorStoreCollectionDefinition</c>.</summary>
public sealed class BitVectorRecord<TKey>
    where TKey : notnull
{
    /// <summary>Gets or sets the key.</summary>
    public TKey Key { get; set; } = default!;

    /// <summary>Gets or sets a number (filterable).</summary>
    public int Number { get; set; }

    /// <summary>Gets or sets a tag (filterable).</summary>
    public string? Tag { get; set; }

    /// <summary>Gets or sets the bits, as a <see cref="BitArray"/>.</summary>
    public BitArray? Bits { get; set; }

    /// <summary>Gets or sets the bits, as a <see cref="BinaryEmbedding"/> (used by definitions that map it).</summary>
    public BinaryEmbedding? Embedding { get; set; }

    /// <summary>Gets or sets text embedded by a <see cref="BinaryEmbedding"/> generator (used by definitions that map it).</summary>
    public string? Text { get; set; }
}
