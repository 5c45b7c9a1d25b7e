using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>Options of a <see cref="PostgresCollection{TKey, TRecord}"/>.</summary>
public sealed class PostgresCollectionOptions
{
    /// <summary>
    /// Gets or sets the record definition. When <see langword="null"/>, it is read from the record type's
    /// <see cref="VectorStoreKeyAttribute"/>, <see cref="VectorStoreDataAttribute"/> and <see cref="VectorStoreVectorAttribute"/>
    /// attributes. Required for dynamic collections.
    /// </summary>
    public VectorStoreCollectionDefinition? Definition { get; set; }

    /// <summary>Gets or sets the embedding generator for vector properties that have none of their own.</summary>
    public IEmbeddingGenerator? EmbeddingGenerator { get; set; }

    /// <summary>Gets or sets the schema of the collection's table. Defaults to <c>public</c>.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>Gets or sets the text-search configuration of full-text indexed properties (e.g. <c>english</c>, <c>simple</c>).</summary>
    public string TextSearchConfiguration { get; set; } = "english";

    /// <summary>Gets or sets the HNSW build parameter <c>m</c> (links per node). Defaults to pgvector's 16.</summary>
    public int HnswM { get; set; } = 16;

    /// <summary>Gets or sets the HNSW build parameter <c>ef_construction</c>. Defaults to pgvector's 64.</summary>
    public int HnswEfConstruction { get; set; } = 64;

    /// <summary>
    /// Gets or sets the IVFFlat build parameter <c>lists</c>. <see langword="null"/> (the default) chooses it from the rows
    /// present when the index is built, as pgvector recommends: rows / 1,000 up to a million rows, their square root above.
    /// An IVFFlat index is built only over rows (it trains its lists on them): on a new or empty table
    /// <see cref="PostgresCollection{TKey, TRecord}.EnsureCollectionExistsAsync"/> leaves it out and searches scan exactly
    /// until <see cref="PostgresCollection{TKey, TRecord}.BuildIndexesAsync"/> (or a later
    /// <c>EnsureCollectionExistsAsync</c>) builds it over the loaded data.
    /// </summary>
    public int? IvfFlatLists { get; set; }

    /// <summary>
    /// Gets or sets the quantized index of the collection's <c>vector</c> (single-precision) properties: the full vectors
    /// stay in the table, the index holds half-precision or binary copies, and searches re-rank the index's candidates
    /// exactly (see <see cref="PostgresSearchSettings.Oversampling"/>). Applies to every <c>float</c> vector property with
    /// an HNSW or IVFFlat index; <c>Half</c>, sparse and bit vector properties keep their own index. Defaults to
    /// <see cref="PostgresVectorQuantization.None"/>. A collection with this option set and a <c>float</c> vector property
    /// of index kind <c>Flat</c> (nothing to quantize), or no <c>float</c> vector property at all, is refused.
    /// The quantized index has its own name (<c>..._hv_idx</c>, <c>..._bq_idx</c>): switching the option on an existing
    /// collection makes <see cref="PostgresCollection{TKey, TRecord}.EnsureCollectionExistsAsync"/> build the new index
    /// beside the old one, which <see cref="PostgresCollection{TKey, TRecord}.DropIndexesAsync"/> of a collection object
    /// with the old option removes.
    /// </summary>
    public PostgresVectorQuantization Quantization { get; set; }

    /// <summary>Gets or sets the weight of the vector ranking in hybrid search's reciprocal-rank fusion. Defaults to 1.</summary>
    public double HybridVectorWeight { get; set; } = 1;

    /// <summary>Gets or sets the weight of the full-text ranking in hybrid search's reciprocal-rank fusion. Defaults to 1.</summary>
    public double HybridKeywordWeight { get; set; } = 1;

    /// <summary>
    /// Gets or sets how long records live after they are written, unless <see cref="ExpiryProperty"/> gives a record its
    /// own expiry. Expired records are invisible to every read at once and deleted by
    /// <see cref="PostgresCollection{TKey, TRecord}.PurgeExpiredAsync"/> or the cleanup service. <see langword="null"/>: no default expiry.
    /// </summary>
    public TimeSpan? TimeToLive { get; set; }

    /// <summary>
    /// Gets or sets the name of a <see cref="DateTimeOffset"/> or <see cref="DateTime"/> data property that holds each
    /// record's expiry moment (null: <see cref="TimeToLive"/> applies, or the record never expires).
    /// </summary>
    public string? ExpiryProperty { get; set; }

    /// <summary>
    /// Gets or sets the serializer options of data properties stored as <c>jsonb</c> (string-keyed dictionaries and the
    /// application's own classes). <see langword="null"/>: <see cref="System.Text.Json.JsonSerializerOptions.Default"/>.
    /// </summary>
    public System.Text.Json.JsonSerializerOptions? JsonSerializerOptions { get; set; }

    /// <summary>Gets or sets the search settings of every query on this collection, unless a query passes its own.</summary>
    public PostgresSearchSettings SearchSettings { get; set; } = new();

    internal PostgresCollectionOptions Clone() => (PostgresCollectionOptions)MemberwiseClone();
}
