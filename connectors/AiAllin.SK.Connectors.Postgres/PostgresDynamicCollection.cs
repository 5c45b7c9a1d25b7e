using Microsoft.Extensions.VectorData.ProviderServices;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// A PostgreSQL collection of dynamic records, <see cref="Dictionary{TKey, TValue}"/> of property name to value,
/// described by the <see cref="PostgresCollectionOptions.Definition"/> it requires.
/// </summary>
#pragma warning disable CA1711 // The name mirrors MEVD's own collection types.
public sealed class PostgresDynamicCollection : PostgresCollection<object, Dictionary<string, object?>>
#pragma warning restore CA1711
{
    /// <summary>Initializes a new dynamic collection object over a table named <paramref name="name"/>.</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="name">The collection (table) name.</param>
    /// <param name="options">The options; <see cref="PostgresCollectionOptions.Definition"/> is required.</param>
    public PostgresDynamicCollection(NpgsqlDataSource dataSource, string name, PostgresCollectionOptions options)
        : base(dataSource, name, BuildModel, options)
    {
    }

    private static CollectionModel BuildModel(PostgresCollectionOptions options)
        => new PostgresModelBuilder().BuildDynamic(
            options.Definition ?? throw new ArgumentException("A dynamic collection needs a record definition.", nameof(options)),
            options.EmbeddingGenerator);
}
