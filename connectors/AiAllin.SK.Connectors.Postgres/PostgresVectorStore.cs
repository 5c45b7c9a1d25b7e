using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// A vector store on PostgreSQL with pgvector: one table per collection in <see cref="PostgresVectorStoreOptions.Schema"/>,
/// all on one pooled <see cref="NpgsqlDataSource"/> (pool size from the connection string's <c>Maximum Pool Size</c>).
/// </summary>
/// <remarks>
/// The store reads dense vectors as <c>real[]</c> (sparse ones in their binary form) and writes them in pgvector's binary
/// format itself, so it works on any data source, whether or not <c>UseVector()</c> was called on it; data sources the
/// store builds have it, for the application's own <c>Pgvector.Vector</c> parameters.
/// </remarks>
public sealed class PostgresVectorStore : VectorStore
{
    internal const string SystemName = "postgresql";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgresVectorStoreOptions _options;
    private readonly VectorStoreMetadata _metadata;

    /// <summary>Initializes a new store that builds and owns a data source (with <c>UseVector()</c>) from a connection string.</summary>
    /// <param name="connectionString">The Npgsql connection string; TLS, pool size and timeouts are taken from it.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    public PostgresVectorStore(string connectionString, PostgresVectorStoreOptions? options = null)
        : this(CreateDataSource(connectionString), ownsDataSource: true, options)
    {
    }

    /// <summary>Initializes a new store on the application's data source, which the store does not dispose.</summary>
    /// <param name="dataSource">The data source; it needs no <c>UseVector()</c>.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    public PostgresVectorStore(NpgsqlDataSource dataSource, PostgresVectorStoreOptions? options = null)
        : this(dataSource, ownsDataSource: false, options)
    {
    }

    private PostgresVectorStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresVectorStoreOptions? options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _options = options ?? new PostgresVectorStoreOptions();
        PostgresNames.ValidateObjectName(_options.Schema, nameof(options));
        PostgresNames.ValidateTextSearchConfiguration(_options.TextSearchConfiguration);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _metadata = new() { VectorStoreSystemName = SystemName, VectorStoreName = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database };
    }

    /// <summary>Gets the data source every collection of the store uses (for joining writes to an application transaction).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Builds a data source with pgvector's type mappings, as the store does for a connection string.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The data source; the caller disposes it.</returns>
    public static NpgsqlDataSource CreateDataSource(string connectionString) => CreateDataSource(connectionString, loggerFactory: null);

    /// <summary>Builds a data source with pgvector's type mappings that logs through <paramref name="loggerFactory"/>.</summary>
    internal static NpgsqlDataSource CreateDataSource(string connectionString, ILoggerFactory? loggerFactory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseVector();
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        return builder.Build();
    }

    /// <inheritdoc />
    public override PostgresCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
        => typeof(TRecord) == typeof(Dictionary<string, object?>)
            ? throw new NotSupportedException(VectorDataStrings.NonDynamicCollectionWithDictionaryNotSupported(typeof(PostgresDynamicCollection)))
            : new PostgresCollection<TKey, TRecord>(_dataSource, name, CollectionOptions(definition));

    /// <inheritdoc />
    public override PostgresDynamicCollection GetDynamicCollection(string name, VectorStoreCollectionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new PostgresDynamicCollection(_dataSource, name, CollectionOptions(definition));
    }

    /// <summary>Gets a typed collection with options beyond the record definition (index parameters, search settings...).</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="name">The collection name.</param>
    /// <param name="options">The options; the collection lives in the store's schema and falls back on the store's embedding generator.</param>
    /// <returns>The collection.</returns>
    public PostgresCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, PostgresCollectionOptions options)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        copy.Schema = _options.Schema;
        copy.EmbeddingGenerator ??= _options.EmbeddingGenerator;
        return new PostgresCollection<TKey, TRecord>(_dataSource, name, copy);
    }

    /// <summary>
    /// Lists the collections of the store's schema: the tables that the store created (recorded in its migrations
    /// table), so other tables of the schema, such as chat history or the application's own, are not listed.
    /// </summary>
    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ListCollectionNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        var migrations = PostgresNames.Qualified(_options.Schema, PostgresSchema.MigrationsTable);
        var exists = _dataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
        await using (exists.ConfigureAwait(false))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = migrations });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                yield break;
            }
        }

        var command = _dataSource.CreateCommand(
            $"SELECT t.tablename FROM pg_catalog.pg_tables t WHERE t.schemaname = $1 " +
            $"AND EXISTS (SELECT 1 FROM {migrations} m WHERE m.collection = t.tablename) ORDER BY t.tablename");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = _options.Schema });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names)
        {
            yield return name;
        }
    }

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return PostgresSchema.ExistsAsync(_dataSource, _options.Schema, name, cancellationToken);
    }

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return PostgresSchema.DropAsync(_dataSource, _options.Schema, name, cancellationToken);
    }

    /// <summary>
    /// Deletes the expired records of every collection of the store's schema that has a time to live or an expiry
    /// property (expired records are invisible to reads already; this reclaims their space).
    /// </summary>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The number of records deleted.</returns>
    public async Task<long> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        long total = 0;
        foreach (var table in await PostgresSchema.ExpiringTablesAsync(_dataSource, _options.Schema, cancellationToken).ConfigureAwait(false))
        {
            total += await PostgresSchema.PurgeExpiredAsync(_dataSource, _options.Schema, table, cancellationToken).ConfigureAwait(false);
        }

        return total;
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);

        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreMetadata) ? _metadata
            : serviceType == typeof(NpgsqlDataSource) ? _dataSource
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsDataSource)
        {
            _dataSource.Dispose();
        }

        base.Dispose(disposing);
    }

    private PostgresCollectionOptions CollectionOptions(VectorStoreCollectionDefinition? definition) => new()
    {
        Definition = definition,
        EmbeddingGenerator = _options.EmbeddingGenerator,
        Schema = _options.Schema,
        TextSearchConfiguration = _options.TextSearchConfiguration,
    };
}
