using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>Options of a <see cref="MongoVectorStore"/>; each collection starts from them.</summary>
public sealed class MongoVectorStoreOptions
{
    /// <summary>Gets or sets the embedding generator for vector properties that have none of their own.</summary>
    public IEmbeddingGenerator? EmbeddingGenerator { get; set; }

    /// <summary>Gets or sets how collections answer vector searches. Defaults to <see cref="MongoVectorSearchMode.Auto"/>.</summary>
    public MongoVectorSearchMode VectorSearchMode { get; set; } = MongoVectorSearchMode.Auto;

    /// <summary>Gets or sets how hybrid searches find keywords. Defaults to <see cref="MongoKeywordSearchMode.TextIndex"/>.</summary>
    public MongoKeywordSearchMode KeywordSearchMode { get; set; } = MongoKeywordSearchMode.TextIndex;
}
