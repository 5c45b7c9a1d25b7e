using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>Options of a <see cref="PostgresVectorStore"/>; each collection starts from them.</summary>
public sealed class PostgresVectorStoreOptions
{
    /// <summary>Gets or sets the schema that holds the collections' tables (created when missing). Defaults to <c>public</c>.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>Gets or sets the embedding generator for vector properties that have none of their own.</summary>
    public IEmbeddingGenerator? EmbeddingGenerator { get; set; }

    /// <summary>Gets or sets the PostgreSQL text-search configuration of full-text indexed properties. Defaults to <c>english</c>.</summary>
    public string TextSearchConfiguration { get; set; } = "english";
}
