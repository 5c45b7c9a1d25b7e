using Microsoft.Extensions.VectorData.ProviderServices;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// A MongoDB collection of dynamic records, <see cref="Dictionary{TKey, TValue}"/> of property name to value,
/// described by the <see cref="MongoCollectionOptions.Definition"/> it requires.
/// </summary>
#pragma warning disable CA1711 // The name mirrors MEVD's own collection types.
public sealed class MongoDynamicCollection : MongoCollection<object, Dictionary<string, object?>>
#pragma warning restore CA1711
{
    /// <summary>Initializes a new dynamic collection object over the MongoDB collection <paramref name="name"/>.</summary>
    /// <param name="database">The database.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="options">The options; <see cref="MongoCollectionOptions.Definition"/> is required.</param>
    public MongoDynamicCollection(IMongoDatabase database, string name, MongoCollectionOptions options)
        : base(database, name, BuildModel, options)
    {
    }

    private static CollectionModel BuildModel(MongoCollectionOptions options)
        => new MongoModelBuilder().BuildDynamic(
            options.Definition ?? throw new ArgumentException("A dynamic collection needs a record definition.", nameof(options)),
            options.EmbeddingGenerator);
}
