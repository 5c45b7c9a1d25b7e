using System.Collections.Concurrent;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// An in-memory collection of dynamic records, <see cref="Dictionary{TKey, TValue}"/> of property name to value,
/// described by the <see cref="InMemoryCollectionOptions.Definition"/> it requires.
/// </summary>
#pragma warning disable CA1711 // The name mirrors MEVD's own collection types.
public sealed class InMemoryDynamicCollection : InMemoryCollection<object, Dictionary<string, object?>>
#pragma warning restore CA1711
{
    /// <summary>Initializes a new standalone dynamic collection, with its own storage.</summary>
    /// <param name="name">The collection name.</param>
    /// <param name="options">The options; <see cref="InMemoryCollectionOptions.Definition"/> is required.</param>
    public InMemoryDynamicCollection(string name, InMemoryCollectionOptions options)
        : this(new ConcurrentDictionary<string, InMemoryCollectionData>(StringComparer.Ordinal), name, options)
    {
    }

    internal InMemoryDynamicCollection(ConcurrentDictionary<string, InMemoryCollectionData> collections, string name, InMemoryCollectionOptions options)
        : base(collections, name, BuildModel, options)
    {
    }

    private static CollectionModel BuildModel(InMemoryCollectionOptions options)
        => new InMemoryModelBuilder().BuildDynamic(
            options.Definition ?? throw new ArgumentException("A dynamic collection needs a record definition.", nameof(options)),
            options.EmbeddingGenerator);
}
