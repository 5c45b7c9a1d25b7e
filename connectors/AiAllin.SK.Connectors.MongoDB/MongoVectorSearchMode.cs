namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>How a <see cref="MongoCollection{TKey, TRecord}"/> answers vector searches.</summary>
public enum MongoVectorSearchMode
{
    /// <summary>
    /// By the vector property's index kind: <c>Hnsw</c> uses <c>$vectorSearch</c> on a vector search index, <c>Flat</c>
    /// (or none) the exact-scan pipeline.
    /// </summary>
    Auto,

    /// <summary>
    /// Always the exact-scan aggregation pipeline: every candidate's score is computed by the server with <c>$zip</c>,
    /// <c>$map</c> and <c>$sum</c>. Works on any MongoDB 6+ deployment, with exact results; its cost grows with the
    /// number of records that pass the filter.
    /// </summary>
    ExactScan,

    /// <summary>
    /// Always <c>$vectorSearch</c> (approximate nearest neighbours) on a vector search index, which
    /// <see cref="MongoCollection{TKey, TRecord}.EnsureCollectionExistsAsync"/> creates: MongoDB Atlas, or a self-managed
    /// deployment with MongoDB Search (<c>mongot</c>, community 8.2+).
    /// </summary>
    VectorSearchIndex,
}
