using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// What a store's test project provides so that the vector-data conformance suites can run against it.
/// </summary>
public interface IVectorStoreTestStore
{
    /// <summary>Creates a store; every collection a test uses is taken from one store, so data is shared between its collection objects.</summary>
    /// <param name="embeddingGenerator">The store-level embedding generator, if any.</param>
    VectorStore CreateStore(IEmbeddingGenerator? embeddingGenerator = null);

    /// <summary>Gets a value indicating whether collections implement <see cref="IKeywordHybridSearchable{TRecord}"/>.</summary>
    bool SupportsHybridSearch { get; }

    /// <summary>Gets a value indicating whether a collection may have no vector property (a plain key-value collection).</summary>
    bool SupportsCollectionsWithoutVectors { get; }

    /// <summary>Gets the <see cref="DistanceFunction"/> names the store implements; the others must be rejected.</summary>
    IReadOnlySet<string> SupportedDistanceFunctions { get; }

    /// <summary>
    /// Gets data property types the store does not support (at least one); it must reject them with
    /// <see cref="NotSupportedException"/> when a collection is created.
    /// </summary>
    IReadOnlySet<Type> UnsupportedDataTypes { get; }

    /// <summary>
    /// Gets key types the store does not support (at least one); it must reject them with
    /// <see cref="NotSupportedException"/> when a collection is created.
    /// </summary>
    IReadOnlySet<Type> UnsupportedKeyTypes { get; }

    /// <summary>
    /// Gets a value indicating whether the store holds half-precision vectors (<c>ReadOnlyMemory&lt;Half&gt;</c>,
    /// <c>Embedding&lt;Half&gt;</c>, <c>Half[]</c>) and generates them through an <c>Embedding&lt;Half&gt;</c> generator;
    /// a store without them must reject such a collection when it is created.
    /// </summary>
    bool SupportsHalfVectors => false;

    /// <summary>
    /// Gets the <see cref="IndexKind"/> names the store accepts and answers exactly on a few records (by default
    /// <see cref="IndexKind.Flat"/> only); a kind that no store knows must be rejected when the collection is created.
    /// </summary>
    IReadOnlySet<string> SupportedIndexKinds => new HashSet<string> { IndexKind.Flat };

    /// <summary>Gets collection names the store must reject with an <see cref="ArgumentException"/>, beyond empty and blank names.</summary>
    IReadOnlyList<string> InvalidCollectionNames { get; }
}
