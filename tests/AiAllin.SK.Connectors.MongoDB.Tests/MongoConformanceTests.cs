using AiAllin.SK.Testing.Conditional;
using AiAllin.SK.Testing.Servers;
using AiAllin.SK.Testing.VectorData;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// Runs the shared MEVD conformance suites of AiAllin.SK.Testing against <see cref="MongoVectorStore"/> on the server
/// <c>AIALLIN_MONGODB_URL</c> names. Without it they are reported as skipped with that reason, under CI=true too: no
/// MongoDB server can be installed on the project's machines.
/// </summary>
[RequiresServer(TestServers.MongoVariable, RequiredInCi = false)]
public static class MongoConformanceTests
{
    private static readonly IVectorStoreTestStore Mongo = MongoTestStore.Instance;

    public sealed class CrudWithStringKeys : CrudConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class CrudWithGuidKeys : CrudConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class CrudWithIntKeys : CrudConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class CrudWithLongKeys : CrudConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class FilterWithStringKeys : FilterConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class FilterWithIntKeys : FilterConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class FilterWithGuidKeys : FilterConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class FilterWithLongKeys : FilterConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class SearchWithStringKeys : SearchConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class SearchWithGuidKeys : SearchConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class SearchWithIntKeys : SearchConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class DynamicWithStringKeys : DynamicConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class DynamicWithGuidKeys : DynamicConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class DynamicWithLongKeys : DynamicConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class DataTypesWithStringKeys : DataTypeConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class DataTypesWithLongKeys : DataTypeConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class ModelShapesWithIntKeys : ModelShapeConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class ModelShapesWithGuidKeys : ModelShapeConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class KeyGeneration : KeyGenerationConformance
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class EmbeddingGenerationWithGuidKeys : EmbeddingGenerationConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class EmbeddingGenerationWithStringKeys : EmbeddingGenerationConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class HybridSearchWithIntKeys : HybridSearchConformance<int>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class HybridSearchWithStringKeys : HybridSearchConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class BadInputWithStringKeys : BadInputConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class BadInputWithGuidKeys : BadInputConformance<Guid>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class CollectionsWithStringKeys : CollectionConformance<string>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }

    public sealed class CollectionsWithLongKeys : CollectionConformance<long>
    {
        protected override IVectorStoreTestStore TestStore => Mongo;
    }
}
