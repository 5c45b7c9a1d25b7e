namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// An opt-in quantized index for the <c>vector</c> (single-precision) properties of a collection: the table keeps the full
/// vectors, the HNSW or IVFFlat index holds a compact copy, and searches re-rank the index's candidates exactly on the full
/// vectors in the same statement, so scores are exact.
/// </summary>
public enum PostgresVectorQuantization
{
    /// <summary>The index holds the full vectors (pgvector's <c>vector</c> operator classes).</summary>
    None = 0,

    /// <summary>
    /// The index holds half-precision copies, an expression index over <c>(v::halfvec(n))</c> with the <c>halfvec</c>
    /// operator class of the distance function: about half the size of a full index, with nearly the same ranking.
    /// </summary>
    HalfPrecision = 1,

    /// <summary>
    /// The index holds one bit per dimension, an expression index over <c>(binary_quantize(v)::bit(n))</c> with
    /// <c>bit_hamming_ops</c> (a bit is set where the element is positive): a fraction of the size and build time of a full
    /// index. Searches take <see cref="PostgresSearchSettings.Oversampling"/> times the asked-for results from it by Hamming
    /// distance and re-rank them exactly. Suits embeddings whose elements are centred on zero (most text embedding models);
    /// for vectors with all-positive elements every bit is set and the index cannot rank.
    /// </summary>
    Binary = 2,
}
