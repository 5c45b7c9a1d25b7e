using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory.Tests;

/// <summary>Runs the shared MEVD conformance suites of AiAllin.SK.Testing against <see cref="InMemoryVectorStore"/>.</summary>
public static class InMemoryConformanceTests
{
    private static readonly IVectorStoreTestStore InMemory = new InMemoryTestStore();

    public sealed class CrudWithStringKeys : CrudConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class CrudWithGuidKeys : CrudConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class CrudWithIntKeys : CrudConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class CrudWithLongKeys : CrudConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class FilterWithStringKeys : FilterConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class FilterWithIntKeys : FilterConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class FilterWithGuidKeys : FilterConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class SearchWithStringKeys : SearchConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class SearchWithGuidKeys : SearchConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class DynamicWithStringKeys : DynamicConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class DynamicWithGuidKeys : DynamicConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class DynamicWithLongKeys : DynamicConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class DataTypesWithStringKeys : DataTypeConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class DataTypesWithLongKeys : DataTypeConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class ModelShapesWithIntKeys : ModelShapeConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class KeyGeneration : KeyGenerationConformance
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class EmbeddingGenerationWithGuidKeys : EmbeddingGenerationConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class EmbeddingGenerationWithStringKeys : EmbeddingGenerationConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class HybridSearchWithIntKeys : HybridSearchConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class BadInputWithStringKeys : BadInputConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class BadInputWithGuidKeys : BadInputConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class CollectionsWithStringKeys : CollectionConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;
    }

    public sealed class BitVectorsWithIntKeys : BitVectorConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;

        // Every index kind is served by the exact scan, for Hamming and both Jaccard functions alike. The bit functions
        // are not in the test store's list, which the float suites read.
        protected override bool SupportsBitIndex(string indexKind, string distanceFunction) => true;
    }

    public sealed class BitVectorsWithStringKeys : BitVectorConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => InMemory;

        protected override bool SupportsBitIndex(string indexKind, string distanceFunction) => true;
    }

    private sealed class InMemoryTestStore : IVectorStoreTestStore
    {
        public bool SupportsHybridSearch => true;

        public bool SupportsCollectionsWithoutVectors => true;

        // Every kind MEVD defines is served by the exact scan.
        public IReadOnlySet<string> SupportedIndexKinds { get; } = new HashSet<string>
        {
            IndexKind.Flat, IndexKind.Hnsw, IndexKind.IvfFlat, IndexKind.DiskAnn, IndexKind.QuantizedFlat, IndexKind.Dynamic,
        };

        public IReadOnlySet<string> SupportedDistanceFunctions { get; } = new HashSet<string>
        {
            DistanceFunction.CosineSimilarity,
            DistanceFunction.CosineDistance,
            DistanceFunction.DotProductSimilarity,
            DistanceFunction.NegativeDotProductSimilarity,
            DistanceFunction.EuclideanDistance,
            DistanceFunction.EuclideanSquaredDistance,
        };

        // Every common data type is supported; complex objects and maps are not.
        public IReadOnlySet<Type> UnsupportedDataTypes { get; } = new HashSet<Type> { typeof(object), typeof(Dictionary<string, int>), typeof(Uri) };

        public IReadOnlySet<Type> UnsupportedKeyTypes { get; } = new HashSet<Type> { typeof(DateTime), typeof(ulong), typeof(byte[]) };

        // Beyond empty and blank: longer than 256 characters, or containing a control character.
        public IReadOnlyList<string> InvalidCollectionNames { get; } = [new string('a', 257), "tab\tname", "new\nline"];

        public VectorStore CreateStore(IEmbeddingGenerator? embeddingGenerator = null)
            => embeddingGenerator is null
                ? new InMemoryVectorStore()
                : new InMemoryVectorStore(new InMemoryVectorStoreOptions { EmbeddingGenerator = embeddingGenerator });
    }
}
