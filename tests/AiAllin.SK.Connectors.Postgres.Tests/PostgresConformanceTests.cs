using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

/// <summary>Runs the shared MEVD conformance suites of AiAllin.SK.Testing against <see cref="PostgresVectorStore"/> on the test server.</summary>
public static class PostgresConformanceTests
{
    private static readonly IVectorStoreTestStore Postgres = PostgresTestStore.Instance;

    public sealed class CrudWithStringKeys : CrudConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class CrudWithGuidKeys : CrudConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class CrudWithIntKeys : CrudConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class CrudWithLongKeys : CrudConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class FilterWithStringKeys : FilterConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class FilterWithIntKeys : FilterConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class FilterWithGuidKeys : FilterConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class SearchWithStringKeys : SearchConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class SearchWithGuidKeys : SearchConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class DynamicWithStringKeys : DynamicConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class DynamicWithGuidKeys : DynamicConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class DynamicWithLongKeys : DynamicConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class DataTypesWithStringKeys : DataTypeConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class DataTypesWithLongKeys : DataTypeConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class ModelShapesWithIntKeys : ModelShapeConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class KeyGeneration : KeyGenerationConformance
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class EmbeddingGenerationWithGuidKeys : EmbeddingGenerationConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class EmbeddingGenerationWithStringKeys : EmbeddingGenerationConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class HybridSearchWithIntKeys : HybridSearchConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class BadInputWithStringKeys : BadInputConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class BadInputWithGuidKeys : BadInputConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class CollectionsWithStringKeys : CollectionConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class FilterWithLongKeys : FilterConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class SearchWithIntKeys : SearchConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class HybridSearchWithStringKeys : HybridSearchConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class ModelShapesWithGuidKeys : ModelShapeConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class CollectionsWithLongKeys : CollectionConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;
    }

    public sealed class BitVectorsWithLongKeys : BitVectorConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => Postgres;

        // pgvector's IVFFlat indexes bits for Hamming only (bit_hamming_ops); bit_jaccard_ops is HNSW's.
        protected override bool SupportsBitIndex(string indexKind, string distanceFunction)
            => base.SupportsBitIndex(indexKind, distanceFunction) && !(indexKind == IndexKind.IvfFlat && distanceFunction != DistanceFunction.HammingDistance);

        // An IVFFlat index trains on the rows present, so it is built once they are loaded.
        protected override async Task BuildIndexesAsync<TRecord>(VectorStoreCollection<long, TRecord> collection)
            => await ((PostgresCollection<long, TRecord>)collection).BuildIndexesAsync();
    }
}
