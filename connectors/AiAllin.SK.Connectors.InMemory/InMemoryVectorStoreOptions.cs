using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>Options of an <see cref="InMemoryVectorStore"/>.</summary>
public sealed class InMemoryVectorStoreOptions
{
    /// <summary>
    /// Gets or sets the default embedding generator of the collections the store creates, used for vector properties
    /// and collections that have none of their own.
    /// </summary>
    public IEmbeddingGenerator? EmbeddingGenerator { get; set; }
}
