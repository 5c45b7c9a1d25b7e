using System.Runtime.CompilerServices;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// A vector store on one MongoDB database: one MongoDB collection per vector-store collection, all through the
/// database's <see cref="IMongoClient"/> and its connection pool. Replica set, read preference, read and write
/// concern, retryable writes, TLS and pool size come from the client's settings (or its connection string).
/// </summary>
public sealed class MongoVectorStore : VectorStore
{
    internal const string SystemName = "mongodb";

    private readonly IMongoDatabase _database;
    private readonly MongoVectorStoreOptions _options;
    private readonly VectorStoreMetadata _metadata;

    /// <summary>Initializes a new store on <paramref name="database"/>; the store never disposes its client.</summary>
    /// <param name="database">The database (from the application's <see cref="MongoClient"/>).</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    public MongoVectorStore(IMongoDatabase database, MongoVectorStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        MongoNames.ValidateDatabaseName(database.DatabaseNamespace.DatabaseName, nameof(database));
        _database = database;
        _options = options ?? new MongoVectorStoreOptions();
        _metadata = new() { VectorStoreSystemName = SystemName, VectorStoreName = database.DatabaseNamespace.DatabaseName };
    }

    /// <summary>Gets the database every collection of the store lives in.</summary>
    public IMongoDatabase Database => _database;

    /// <inheritdoc />
    public override MongoCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
        => typeof(TRecord) == typeof(Dictionary<string, object?>)
            ? throw new NotSupportedException(VectorDataStrings.NonDynamicCollectionWithDictionaryNotSupported(typeof(MongoDynamicCollection)))
            : new MongoCollection<TKey, TRecord>(_database, name, CollectionOptions(definition));

    /// <inheritdoc />
    public override MongoDynamicCollection GetDynamicCollection(string name, VectorStoreCollectionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new MongoDynamicCollection(_database, name, CollectionOptions(definition));
    }

    /// <summary>Gets a typed collection with options beyond the record definition (search modes, index names, TTL...).</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="name">The collection name.</param>
    /// <param name="options">The options; an unset embedding generator falls back on the store's.</param>
    /// <returns>The collection.</returns>
    public MongoCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, MongoCollectionOptions options)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        copy.EmbeddingGenerator ??= _options.EmbeddingGenerator;
        return new MongoCollection<TKey, TRecord>(_database, name, copy);
    }

    /// <summary>Lists the database's collections (views and system collections excluded).</summary>
    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ListCollectionNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var options = new ListCollectionNamesOptions { Filter = new BsonDocument("type", new BsonDocument("$eq", "collection")) };
        var names = await MongoErrors.RunAsync("ListCollectionNames", string.Empty, async () =>
        {
            using var cursor = await _database.ListCollectionNamesAsync(options, cancellationToken).ConfigureAwait(false);
            return await cursor.ToListAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        foreach (var name in names.Where(n => !n.StartsWith("system.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            yield return name;
        }
    }

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        MongoNames.ValidateCollectionName(name, nameof(name));
        return MongoErrors.RunAsync("CollectionExists", name, () => ExistsAsync(_database, name, cancellationToken));
    }

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        MongoNames.ValidateCollectionName(name, nameof(name));
        return MongoErrors.RunAsync("EnsureCollectionDeleted", name, async () =>
        {
            await _database.DropCollectionAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);

        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreMetadata) ? _metadata
            : serviceType == typeof(IMongoDatabase) ? _database
            : serviceType == typeof(IMongoClient) ? _database.Client
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    internal static async Task<bool> ExistsAsync(IMongoDatabase database, string name, CancellationToken cancellationToken)
    {
        var options = new ListCollectionNamesOptions { Filter = new BsonDocument("name", new BsonDocument("$eq", name)) };
        using var cursor = await database.ListCollectionNamesAsync(options, cancellationToken).ConfigureAwait(false);
        return await cursor.AnyAsync(cancellationToken).ConfigureAwait(false);
    }

    private MongoCollectionOptions CollectionOptions(VectorStoreCollectionDefinition? definition) => new()
    {
        Definition = definition,
        EmbeddingGenerator = _options.EmbeddingGenerator,
        VectorSearchMode = _options.VectorSearchMode,
        KeywordSearchMode = _options.KeywordSearchMode,
    };
}
