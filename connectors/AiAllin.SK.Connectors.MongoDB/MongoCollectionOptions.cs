using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>Options of a <see cref="MongoCollection{TKey, TRecord}"/>.</summary>
public sealed class MongoCollectionOptions
{
    /// <summary>
    /// Gets or sets the record definition. When <see langword="null"/>, it is read from the record type's
    /// <see cref="VectorStoreKeyAttribute"/>, <see cref="VectorStoreDataAttribute"/> and <see cref="VectorStoreVectorAttribute"/>
    /// attributes. Required for dynamic collections.
    /// </summary>
    public VectorStoreCollectionDefinition? Definition { get; set; }

    /// <summary>Gets or sets the embedding generator for vector properties that have none of their own.</summary>
    public IEmbeddingGenerator? EmbeddingGenerator { get; set; }

    /// <summary>Gets or sets how vector searches are answered. Defaults to <see cref="MongoVectorSearchMode.Auto"/>.</summary>
    public MongoVectorSearchMode VectorSearchMode { get; set; } = MongoVectorSearchMode.Auto;

    /// <summary>Gets or sets how hybrid searches find keywords. Defaults to <see cref="MongoKeywordSearchMode.TextIndex"/>.</summary>
    public MongoKeywordSearchMode KeywordSearchMode { get; set; } = MongoKeywordSearchMode.TextIndex;

    /// <summary>Gets or sets the name of the vector search index. Defaults to <c>vector_index</c>.</summary>
    public string VectorIndexName { get; set; } = "vector_index";

    /// <summary>Gets or sets the name of the MongoDB Search index used by <see cref="MongoKeywordSearchMode.SearchIndex"/>. Defaults to <c>default</c>.</summary>
    public string SearchIndexName { get; set; } = "default";

    /// <summary>
    /// Gets or sets how many candidates <c>$vectorSearch</c> considers per result it returns (<c>numCandidates</c> is this
    /// times <c>top + skip</c>, at most 10,000). MongoDB recommends at least 10 to 20. Defaults to 20.
    /// </summary>
    public int NumCandidatesFactor { get; set; } = 20;

    /// <summary>Gets or sets how long index creation waits for a search index to become queryable. Defaults to 2 minutes.</summary>
    public TimeSpan IndexReadyTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the weight of the vector ranking in hybrid search's reciprocal-rank fusion. Defaults to 1.</summary>
    public double HybridVectorWeight { get; set; } = 1;

    /// <summary>Gets or sets the weight of the keyword ranking in hybrid search's reciprocal-rank fusion. Defaults to 1.</summary>
    public double HybridKeywordWeight { get; set; } = 1;

    /// <summary>
    /// Gets or sets how long records live after they are written, unless <see cref="ExpiryProperty"/> gives each record
    /// its own expiry. A TTL index deletes expired records (MongoDB's TTL monitor runs about once a minute); reads hide
    /// them at once. <see langword="null"/>: no default expiry.
    /// </summary>
    public TimeSpan? TimeToLive { get; set; }

    /// <summary>
    /// Gets or sets the name of a <see cref="DateTimeOffset"/> or <see cref="DateTime"/> data property that holds each
    /// record's expiry moment; a TTL index on its field deletes records past it. A record whose value is null never expires.
    /// </summary>
    public string? ExpiryProperty { get; set; }

    internal MongoCollectionOptions Clone() => (MongoCollectionOptions)MemberwiseClone();
}
