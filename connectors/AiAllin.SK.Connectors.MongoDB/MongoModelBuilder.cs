using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>Builds and validates the collection model against what the MongoDB store can hold and query.</summary>
internal sealed class MongoModelBuilder() : CollectionModelBuilder(BuildingOptions)
{
    private static readonly CollectionModelBuildingOptions BuildingOptions = new()
    {
        RequiresAtLeastOneVector = false,
        SupportsMultipleVectors = true,
    };

    protected override bool SupportsKeyAutoGeneration(Type keyPropertyType) => keyPropertyType == typeof(Guid) || keyPropertyType == typeof(ObjectId);

    protected override void ValidateKeyProperty(KeyPropertyModel keyProperty)
    {
        base.ValidateKeyProperty(keyProperty);

        if (KeyType is { } keyType && keyType != typeof(object) && keyType != keyProperty.Type)
        {
            throw new InvalidOperationException(
                $"Key property '{keyProperty.ModelName}' is declared as '{keyProperty.Type.Name}' but the collection's key type is '{keyType.Name}'.");
        }

        if (!MongoValues.IsSupportedKeyType(keyProperty.Type))
        {
            throw new NotSupportedException(
                $"Key property '{keyProperty.ModelName}' has unsupported type '{keyProperty.Type.Name}'. Supported key types: {MongoValues.SupportedKeyTypes}.");
        }
    }

    protected override void ValidateProperty(PropertyModel propertyModel, VectorStoreCollectionDefinition? definition)
    {
        base.ValidateProperty(propertyModel, definition);

        // The key is always stored as _id; every other name reaches commands as a field name, so it is checked here.
        if (propertyModel is not KeyPropertyModel)
        {
            MongoNames.ValidateFieldName(propertyModel.StorageName);
            if (propertyModel.StorageName == "_id")
            {
                throw new ArgumentException($"Property '{propertyModel.ModelName}' cannot be stored as '_id', which holds the record's key.");
            }
        }

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

            MongoScoring.Validate(vector);
        }
    }

    protected override bool IsDataPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = MongoValues.SupportedDataTypes;
        return MongoValues.IsSupportedDataType(type);
    }

    protected override bool IsVectorPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = MongoValues.SupportedVectorTypes;
        return MongoValues.IsVectorType(type);
    }
}
