using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>Builds and validates the collection model against what PostgreSQL + pgvector can store.</summary>
internal sealed class PostgresModelBuilder() : CollectionModelBuilder(BuildingOptions)
{
    internal const string SupportedKeyTypes = "string, Guid, int, long";

    internal const string SupportedVectorTypes = "ReadOnlyMemory<float>, Embedding<float>, float[] (vector); ReadOnlyMemory<Half>, Embedding<Half>, Half[] (halfvec); Pgvector.SparseVector (sparsevec); BitArray, BinaryEmbedding (bit)";

    internal const string SupportedDataTypes =
        "bool, short, int, long, float, double, decimal, string, Guid, DateTime, DateTimeOffset, DateOnly, TimeOnly, byte[], " +
        "enums (stored as their integer; not ulong-based), " +
        "their nullable forms, arrays or List<T> of those (except byte[]); string-keyed dictionaries and the application's own classes (jsonb)";

    private static readonly EmbeddingGenerationDispatcher[] Dispatchers =
        [EmbeddingGenerationDispatcher.Create<Embedding<float>>(), EmbeddingGenerationDispatcher.Create<Embedding<Half>>(), EmbeddingGenerationDispatcher.Create<BinaryEmbedding>()];

    private static readonly CollectionModelBuildingOptions BuildingOptions = new()
    {
        RequiresAtLeastOneVector = false,
        SupportsMultipleVectors = true,
    };

    protected override bool SupportsKeyAutoGeneration(Type keyPropertyType) => keyPropertyType == typeof(Guid);

    protected override void ValidateKeyProperty(KeyPropertyModel keyProperty)
    {
        base.ValidateKeyProperty(keyProperty);

        if (KeyType is { } keyType && keyType != typeof(object) && keyType != keyProperty.Type)
        {
            throw new InvalidOperationException(
                $"Key property '{keyProperty.ModelName}' is declared as '{keyProperty.Type.Name}' but the collection's key type is '{keyType.Name}'.");
        }

        var type = keyProperty.Type;
        if (type != typeof(string) && type != typeof(Guid) && type != typeof(int) && type != typeof(long))
        {
            throw new NotSupportedException(
                $"Key property '{keyProperty.ModelName}' has unsupported type '{type.Name}'. Supported key types: {SupportedKeyTypes}.");
        }
    }

    protected override void ValidateProperty(PropertyModel propertyModel, VectorStoreCollectionDefinition? definition)
    {
        base.ValidateProperty(propertyModel, definition);
        PostgresNames.ValidateColumnName(propertyModel.StorageName);

        if (propertyModel.PropertyInfo is { } clrProperty && clrProperty.PropertyType != propertyModel.Type)
        {
            throw new InvalidOperationException(
                $"Property '{propertyModel.ModelName}' is declared as '{propertyModel.Type.Name}' but the record's property is a '{clrProperty.PropertyType.Name}'.");
        }

        if (propertyModel is VectorPropertyModel vector)
        {
            if (vector.Dimensions <= 0)
            {
                throw new ArgumentException($"Vector property '{vector.ModelName}' must declare a positive number of dimensions.");
            }

            PostgresIndexes.Validate(vector);
        }
    }

    protected override bool IsDataPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = SupportedDataTypes;
        return PostgresColumn.IsSupportedDataType(type);
    }

    /// <summary>
    /// Lets a generator of <c>Embedding&lt;Half&gt;</c> feed a <c>halfvec</c> column and one of <see cref="BinaryEmbedding"/>
    /// a <c>bit</c> column (the base resolves only <c>Embedding&lt;float&gt;</c>); single precision is preferred when the
    /// generator offers several.
    /// </summary>
    protected override IReadOnlyList<EmbeddingGenerationDispatcher> EmbeddingGenerationDispatchers => Dispatchers;

    protected override bool IsVectorPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = SupportedVectorTypes;
        return PostgresColumn.IsStoredVectorType(type);
    }
}
