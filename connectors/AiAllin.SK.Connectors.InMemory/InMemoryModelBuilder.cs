using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// Builds and validates the collection model. Every accepted data type is immutable or cloned on copy,
/// which is what lets the store hand out copies instead of references.
/// </summary>
internal sealed class InMemoryModelBuilder() : CollectionModelBuilder(BuildingOptions)
{
    internal const string SupportedVectorTypes = "ReadOnlyMemory<float>, Embedding<float>, float[], BitArray, BinaryEmbedding";

    internal const string SupportedKeyTypes = "string, Guid, int, long";

    internal const string SupportedDataTypes =
        "bool, byte, sbyte, short, ushort, int, uint, long, ulong, float, double, decimal, char, string, Guid, DateTime, " +
        "DateTimeOffset, DateOnly, TimeOnly, TimeSpan, enums, their nullable forms, and arrays or List<T> of those";

    /// <summary>Embedding types generated from other inputs (text, say), float first as MEVD does.</summary>
    private static readonly EmbeddingGenerationDispatcher[] Dispatchers =
        [EmbeddingGenerationDispatcher.Create<Embedding<float>>(), EmbeddingGenerationDispatcher.Create<BinaryEmbedding>()];

    private static readonly CollectionModelBuildingOptions BuildingOptions = new()
    {
        RequiresAtLeastOneVector = false,
        SupportsMultipleVectors = true,
    };

    /// <summary>The index kinds MEVD defines, every one answered by the exact scan.</summary>
    internal static readonly IReadOnlyList<string> KnownIndexKinds =
        [IndexKind.Flat, IndexKind.Hnsw, IndexKind.IvfFlat, IndexKind.DiskAnn, IndexKind.QuantizedFlat, IndexKind.Dynamic];

    protected override IReadOnlyList<EmbeddingGenerationDispatcher> EmbeddingGenerationDispatchers => Dispatchers;

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

        // Every MEVD index kind is served by the exact scan, so a record type annotated for a database (Hnsw, say) runs
        // here unchanged, with exact answers; a name MEVD does not define is a mistake worth reporting.
        if (propertyModel is VectorPropertyModel { IndexKind: { } indexKind } vector && !KnownIndexKinds.Contains(indexKind))
        {
            throw new NotSupportedException(
                $"Vector property '{vector.ModelName}' asks for index kind '{indexKind}', which the in-memory vector store does not know. " +
                $"It serves {string.Join(", ", KnownIndexKinds)} with the same exact scan.");
        }

        // A definition that contradicts the record's CLR property would make every read and write fail later; fail now.
        if (propertyModel.PropertyInfo is { } clrProperty && clrProperty.PropertyType != propertyModel.Type)
        {
            throw new InvalidOperationException(
                $"Property '{propertyModel.ModelName}' is declared as '{propertyModel.Type.Name}' but the record's property is a '{clrProperty.PropertyType.Name}'.");
        }
    }

    protected override bool IsDataPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = SupportedDataTypes;

        if (IsScalar(type) || type == typeof(byte[]))
        {
            return true;
        }

        if (type.IsArray && type.GetArrayRank() == 1)
        {
            return IsScalar(type.GetElementType()!);
        }

        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && IsScalar(type.GetGenericArguments()[0]);
    }

    protected override bool IsVectorPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = SupportedVectorTypes;
        return IsNativeVectorType(type);
    }

    internal static bool IsNativeVectorType(Type type)
        => type == typeof(ReadOnlyMemory<float>)
            || type == typeof(ReadOnlyMemory<float>?)
            || type == typeof(Embedding<float>)
            || type == typeof(float[])
            || type == typeof(BitArray)
            || type == typeof(BinaryEmbedding);

    /// <summary>Whether the property stores bits: a <see cref="BitArray"/> or <see cref="BinaryEmbedding"/>, given or generated.</summary>
    internal static bool IsBitVector(VectorPropertyModel property)
        => property.Type == typeof(BitArray) || property.Type == typeof(BinaryEmbedding) || property.EmbeddingType == typeof(BinaryEmbedding);

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;

        return type.IsPrimitive && type != typeof(IntPtr) && type != typeof(UIntPtr)
            || type.IsEnum
            || type == typeof(string)
            || type == typeof(decimal)
            || type == typeof(Guid)
            || type == typeof(DateTime)
            || type == typeof(DateTimeOffset)
            || type == typeof(DateOnly)
            || type == typeof(TimeOnly)
            || type == typeof(TimeSpan);
    }
}
