using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>Options of an <see cref="InMemoryCollection{TKey, TRecord}"/>.</summary>
public sealed class InMemoryCollectionOptions
{
    /// <summary>
    /// Gets or sets the record definition. When <see langword="null"/>, the definition is read from the
    /// <see cref="VectorStoreKeyAttribute"/>, <see cref="VectorStoreDataAttribute"/> and <see cref="VectorStoreVectorAttribute"/>
    /// attributes of the record type. Required for dynamic collections.
    /// </summary>
    public VectorStoreCollectionDefinition? Definition { get; set; }

    /// <summary>
    /// Gets or sets the embedding generator used for vector properties that have none of their own, on upsert when the
    /// property holds text (or another input type) and on search when the search value is not a vector.
    /// </summary>
    public IEmbeddingGenerator? EmbeddingGenerator { get; set; }
}
