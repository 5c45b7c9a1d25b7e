using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// A collection stored in one PostgreSQL table, with pgvector <c>vector</c>/<c>halfvec</c>/<c>sparsevec</c> columns and HNSW or IVFFlat
/// indexes. Batch upserts run in one transaction: the batch's keys are locked and deleted, then the records are written by
/// binary <c>COPY</c>. Every value is a parameter; every identifier is validated and quoted.
/// </summary>
/// <typeparam name="TKey">The key type: <see cref="string"/>, <see cref="Guid"/>, <see cref="int"/> or <see cref="long"/>.</typeparam>
/// <typeparam name="TRecord">The record type.</typeparam>
#pragma warning disable CA1711 // The name mirrors MEVD's own collection types.
public class PostgresCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>, IKeywordHybridSearchable<TRecord>
#pragma warning restore CA1711
    where TKey : notnull
    where TRecord : class
{
    private const double RrfK = 60;

    /// <summary>Batches with more distinct keys than this lock the whole collection instead of each key.</summary>
    private const int MaxKeyLocks = 64;

    /// <summary>Records read, and texts sent to the embedding generator, per round of a re-embedding.</summary>
    private const int ReembedBatchSize = 256;

    private const string ReembedCursor = "__aiallin_reembed_cursor";

    private const string ReembedTable = "__aiallin_reembed";

    private readonly NpgsqlDataSource _dataSource;
    private readonly CollectionModel _model;
    private readonly PostgresCollectionOptions _options;
    private readonly VectorStoreCollectionMetadata _metadata;
    private readonly PostgresSchema _schema;
    private readonly PostgresColumn _key;
    private readonly List<PostgresColumn> _data = [];
    private readonly List<PostgresColumn> _vectors = [];
    private readonly Dictionary<PropertyModel, PostgresColumn> _byProperty = [];
    private readonly string _table;
    private readonly string _copy;
    private readonly string _selectWithVectors;
    private readonly string _selectWithoutVectors;
    private readonly PostgresColumn? _expiryProperty;
    private readonly string _visible;

    /// <summary>Initializes a new collection object over a table named <paramref name="name"/>.</summary>
    /// <param name="dataSource">The data source (its pool is shared by every collection of the store).</param>
    /// <param name="name">The collection (table) name: a letter or underscore, then letters, digits, underscores or hyphens.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    public PostgresCollection(NpgsqlDataSource dataSource, string name, PostgresCollectionOptions? options = null)
        : this(dataSource, name, BuildModel, options)
    {
    }

    internal PostgresCollection(
        NpgsqlDataSource dataSource, string name, Func<PostgresCollectionOptions, CollectionModel> modelFactory, PostgresCollectionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        PostgresNames.ValidateObjectName(name, nameof(name));
        _options = options ?? new PostgresCollectionOptions();
        PostgresNames.ValidateObjectName(_options.Schema, nameof(options));
        PostgresNames.ValidateTextSearchConfiguration(_options.TextSearchConfiguration);

        _dataSource = dataSource;
        Name = name;
        _model = modelFactory(_options);
        _key = PostgresColumn.ForKey(_model.KeyProperty);
        _byProperty[_model.KeyProperty] = _key;
        foreach (var property in _model.DataProperties)
        {
            var column = PostgresColumn.ForData(property, _options.JsonSerializerOptions ?? JsonSerializerOptions.Default);
            _data.Add(column);
            _byProperty[property] = column;
        }

        foreach (var property in _model.VectorProperties)
        {
            PostgresIndexes.Validate(property);
            var column = PostgresColumn.ForVector(property);
            _vectors.Add(column);
            _byProperty[property] = column;
        }

        if (_options.ExpiryProperty is { } expiryName)
        {
            _expiryProperty = _data.FirstOrDefault(c => c.Property.ModelName == expiryName
                    && (Nullable.GetUnderlyingType(c.Property.Type) ?? c.Property.Type) is var t && (t == typeof(DateTimeOffset) || t == typeof(DateTime)))
                ?? throw new ArgumentException($"The expiry property '{expiryName}' must be a DateTimeOffset or DateTime data property of the record.", nameof(options));
        }

        if (_options.TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), ttl, "The time to live must be positive.");
        }

        var expires = _expiryProperty is not null || _options.TimeToLive is not null;
        _visible = expires ? $" AND ({PostgresSchema.ExpiresAt} IS NULL OR {PostgresSchema.ExpiresAt} > now())" : string.Empty;
        _table = PostgresNames.Qualified(_options.Schema, name);
        _schema = new PostgresSchema(_options.Schema, name, _key, _data, _vectors, _options, expires);
        var columns = string.Join(", ", new[] { _key }.Concat(_data).Concat(_vectors).Select(c => c.Quoted)) + (expires ? ", " + PostgresSchema.ExpiresAt : string.Empty);
        _copy = $"COPY {_table} ({columns}) FROM STDIN (FORMAT BINARY)";
        var dataSelect = string.Concat(_data.Select(c => ", " + c.SelectExpression));
        _selectWithoutVectors = _key.Quoted + dataSelect;
        _selectWithVectors = _selectWithoutVectors + string.Concat(_vectors.Select(c => ", " + c.SelectExpression));
        _metadata = new() { VectorStoreSystemName = PostgresVectorStore.SystemName, CollectionName = name };
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default)
        => RunAsync("CollectionExists", () => PostgresSchema.ExistsAsync(_dataSource, _options.Schema, Name, cancellationToken));

    /// <summary>
    /// Creates the table, its indexes and generated full-text columns when missing; on an existing table, adds the
    /// columns of new data properties and records each change in the schema's migrations table. A vector property whose
    /// dimensions, storage type or embedding model differ from the table's is reported, never silently changed
    /// (<see cref="ReembedAsync"/> migrates it). Idempotent and safe to run
    /// from several processes at once.
    /// </summary>
    /// <inheritdoc />
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
        => RunAsync("EnsureCollectionExists", () => _schema.EnsureAsync(_dataSource, cancellationToken));

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
        => RunAsync("EnsureCollectionDeleted", () => PostgresSchema.DropAsync(_dataSource, _options.Schema, Name, cancellationToken));

    /// <inheritdoc />
    public override async Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var includeVectors = CheckIncludeVectors(options?.IncludeVectors ?? false);
        var keyValue = CheckKey(key);

        return await RunAsync("Get", async () =>
        {
            var command = _dataSource.CreateCommand(
                $"SELECT {Select(includeVectors)} FROM {_table} WHERE {_key.Quoted} = $1{_visible}");
            await using var commandScope = command.ConfigureAwait(false);
            command.Parameters.Add(new NpgsqlParameter { Value = keyValue, NpgsqlDbType = _key.DbType });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Materialize(reader, includeVectors) : null;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<TRecord> GetAsync(
        IEnumerable<TKey> keys, RecordRetrievalOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var includeVectors = CheckIncludeVectors(options?.IncludeVectors ?? false);
        var keyArray = KeyArray(keys);
        if (keyArray.Length == 0)
        {
            yield break;
        }

        var sql = $"SELECT {Select(includeVectors)} FROM {_table} WHERE {_key.Quoted} = ANY($1){_visible}";
        var parameters = new[] { new NpgsqlParameter { Value = keyArray, NpgsqlDbType = NpgsqlDbType.Array | _key.DbType } };
        await foreach (var (record, _) in StreamAsync("Get", sql, parameters, prepare: null, includeVectors, withScore: false, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<TRecord> GetAsync(
        Expression<Func<TRecord, bool>> filter,
        int top,
        FilteredRecordRetrievalOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options));
        var includeVectors = CheckIncludeVectors(options.IncludeVectors);

        var parameters = new List<NpgsqlParameter>();
        var where = Filter(filter, parameters);
        var orderBy = options.OrderBy?.Invoke(new()).Values
            .Select(sort => (Column: Column(_model.GetDataOrKeyProperty(sort.PropertySelector)), sort.Ascending))
            .Select(o => $"{o.Column.Quoted}{(o.Column.SqlType == "text" ? " COLLATE \"C\"" : string.Empty)} {(o.Ascending ? "ASC NULLS FIRST" : "DESC NULLS LAST")}")
            .ToList() ?? [];
        if (options.Skip > 0 || orderBy.Count > 0)
        {
            orderBy.Add(_key.Quoted);
        }

        parameters.Add(new NpgsqlParameter { Value = (long)top });
        parameters.Add(new NpgsqlParameter { Value = (long)options.Skip });
        var sql = $"SELECT {Select(includeVectors)} FROM {_table} WHERE {where}{_visible}"
            + (orderBy.Count > 0 ? " ORDER BY " + string.Join(", ", orderBy) : string.Empty)
            + $" LIMIT ${parameters.Count - 1} OFFSET ${parameters.Count}";

        await foreach (var (record, _) in StreamAsync("Get", sql, parameters, prepare: null, includeVectors, withScore: false, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return DeleteAsync([key], cancellationToken);
    }

    /// <inheritdoc />
    public override async Task DeleteAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var keyArray = KeyArray(keys);
        if (keyArray.Length == 0)
        {
            return;
        }

        await RunAsync("Delete", async () =>
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            await DeleteCoreAsync(connection, null, keyArray, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Deletes records inside the caller's transaction: they disappear only when the caller commits.</summary>
    /// <param name="keys">The keys of the records to delete.</param>
    /// <param name="transaction">The caller's open transaction; its connection runs the statement.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>A task that completes when the statement ran.</returns>
    public async Task DeleteAsync(IEnumerable<TKey> keys, NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction is already completed.", nameof(transaction));
        var keyArray = KeyArray(keys);
        if (keyArray.Length > 0)
        {
            await RunAsync("Delete", () => DeleteCoreAsync(connection, transaction, keyArray, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <summary>
    /// Upserts the records in one transaction: all of them are written, or none (a failing record, a lost connection or a
    /// cancellation leaves the table as it was). Writers of the same keys are serialised by transaction-level advisory locks
    /// (per key for batches of up to 64 keys, per collection above), so concurrent upserts of one key end with one complete record.
    /// </summary>
    /// <inheritdoc />
    public override async Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var batch = await PrepareAsync(records, cancellationToken).ConfigureAwait(false);
        if (batch.Rows.Count == 0)
        {
            return;
        }

        await RunAsync("Upsert", async () =>
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var transactionScope = transaction.ConfigureAwait(false);
            await WriteAsync(connection, transaction, batch, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        batch.WriteBackGeneratedKeys(_model.KeyProperty);
    }

    /// <summary>
    /// Upserts the records inside the caller's transaction (for example together with chat-history writes): they become
    /// visible when the caller commits, and vanish if it rolls back.
    /// </summary>
    /// <param name="records">The records.</param>
    /// <param name="transaction">The caller's open transaction; its connection runs the statements.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>A task that completes when the records are written in the transaction.</returns>
    public async Task UpsertAsync(IEnumerable<TRecord> records, NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction is already completed.", nameof(transaction));
        var batch = await PrepareAsync(records, cancellationToken).ConfigureAwait(false);
        if (batch.Rows.Count == 0)
        {
            return;
        }

        await RunAsync("Upsert", () => WriteAsync(connection, transaction, batch, cancellationToken)).ConfigureAwait(false);
        batch.WriteBackGeneratedKeys(_model.KeyProperty);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
        => SearchAsync(searchValue, top, _options.SearchSettings, options, cancellationToken);

    /// <summary>Searches with approximate-search settings for this query only (e.g. a larger <c>ef_search</c>).</summary>
    /// <typeparam name="TInput">The search value type: a vector, or an input of the property's embedding generator.</typeparam>
    /// <param name="searchValue">The search value.</param>
    /// <param name="top">The maximum number of results.</param>
    /// <param name="settings">The settings of this query.</param>
    /// <param name="options">The search options.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The results, nearest first.</returns>
    public IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(
        TInput searchValue, int top, PostgresSearchSettings settings, VectorSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options));
        var includeVectors = CheckIncludeVectors(options.IncludeVectors);
        var vectorProperty = _model.GetVectorPropertyOrSingle(options);
        return SearchCoreAsync(searchValue, top, options, settings, includeVectors, vectorProperty, cancellationToken);
    }

    /// <summary>
    /// Searches by vector and keywords in one SQL statement: the vector ranking and the full-text ranking
    /// (<c>ts_rank_cd</c> over the generated <c>tsvector</c> column) are fused by reciprocal rank, 1/(60 + rank), with equal
    /// scores sharing a rank. Records no keyword matches keep their vector rank. The score is the fused score;
    /// <see cref="HybridSearchOptions{TRecord}.ScoreThreshold"/> applies to the vector score and excludes records from both rankings.
    /// </summary>
    /// <inheritdoc />
    public IAsyncEnumerable<VectorSearchResult<TRecord>> HybridSearchAsync<TInput>(
        TInput searchValue, ICollection<string> keywords, int top, HybridSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentNullException.ThrowIfNull(keywords);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options));
        var includeVectors = CheckIncludeVectors(options.IncludeVectors);
        var vectorProperty = _model.GetVectorPropertyOrSingle(new VectorSearchOptions<TRecord> { VectorProperty = options.VectorProperty });
        var textProperty = _model.GetFullTextDataPropertyOrSingle(options.AdditionalProperty);
        return HybridSearchCoreAsync(searchValue, [.. keywords], top, options, includeVectors, vectorProperty, textProperty, cancellationToken);
    }

    /// <summary>
    /// Deletes the records whose expiry has passed (they are already invisible to every read). Deletes in slices of
    /// 10,000 rows so a large purge never holds long locks. Does nothing for collections without expiry.
    /// </summary>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The number of records deleted.</returns>
    public Task<long> PurgeExpiredAsync(CancellationToken cancellationToken = default)
        => _schema.Expires
            ? RunAsync("PurgeExpired", () => PostgresSchema.PurgeExpiredAsync(_dataSource, _options.Schema, Name, cancellationToken))
            : Task.FromResult(0L);

    /// <summary>
    /// Re-embeds every record of a generated (string-input) vector property with the property's current embedding
    /// generator, after its model or dimensions changed. A vector store keeps embeddings, not their text, so
    /// <paramref name="source"/> gives the text of each stored record (read with its key and data properties). In one
    /// transaction, under the collection's lock (writers wait): expired records are deleted, the column is retyped to the
    /// property's dimensions, every record is read and embedded in batches, the vector index is rebuilt with the collection's
    /// settings and the new model and dimensions are recorded in the migrations table. Any failure (the generator throws,
    /// cancellation, a lost connection) rolls all of it back: the old column, index, vectors and records stay as they were.
    /// Re-embeds even when nothing changed, so it also serves a new model of the same name or dimensions. Run it on a
    /// collection object built with the new definition or generator, instead of <see cref="EnsureCollectionExistsAsync"/>, which
    /// reports the mismatch; afterwards that call succeeds.
    /// </summary>
    /// <param name="source">The text to embed for a stored record; <see langword="null"/> stores no vector for it (the record
    /// stays, but no vector search finds it).</param>
    /// <param name="vectorProperty">The name of the vector property to re-embed, or <see langword="null"/> when the record has one.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The number of records that received a new vector.</returns>
    /// <exception cref="InvalidOperationException">The property has no embedding generator of strings, or the collection does not exist.</exception>
    public async Task<int> ReembedAsync(Func<TRecord, string?> source, string? vectorProperty = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var candidates = _model.VectorProperties.Where(p => vectorProperty is null || p.ModelName == vectorProperty).ToList();
        if (candidates.Count != 1)
        {
            throw new ArgumentException(
                vectorProperty is null
                    ? $"The record has {candidates.Count} vector properties; name the one to re-embed."
                    : $"The record has no vector property '{vectorProperty}'.",
                nameof(vectorProperty));
        }

        var property = candidates[0];
        if (property.Type != typeof(string) || property.EmbeddingGenerator is null)
        {
            throw new InvalidOperationException(
                $"Vector property '{property.ModelName}' is not generated from text: re-embedding needs a string property with an embedding generator.");
        }

        var column = _byProperty[property];
        return await RunAsync("Reembed", async () =>
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var transactionScope = transaction.ConfigureAwait(false);
            await _schema.BeginReembedAsync(connection, transaction, column, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                connection, transaction,
                $"CREATE TEMP TABLE {ReembedTable} (k {_key.SqlType} NOT NULL, v {column.SqlType} NOT NULL) ON COMMIT DROP; " +
                $"DECLARE {ReembedCursor} NO SCROLL CURSOR FOR SELECT {_selectWithoutVectors} FROM {_table}",
                cancellationToken).ConfigureAwait(false);

            var embedded = 0;
            while (true)
            {
                var records = await FetchAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                if (records.Count == 0)
                {
                    break;
                }

                foreach (var record in records)
                {
                    property.SetValueAsObject(record, source(record));
                }

                var embeddings = await VectorStoreRecords.GenerateEmbeddingsAsync(property, records, cancellationToken).ConfigureAwait(false);
                var importer = await connection.BeginBinaryImportAsync($"COPY {ReembedTable} (k, v) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
                await using (importer.ConfigureAwait(false))
                {
                    for (var i = 0; i < records.Count; i++)
                    {
                        if (embeddings[i] is { } embedding)
                        {
                            var key = _model.KeyProperty.GetValueAsObject(records[i])!;
                            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                            await _key.WriteAsync(importer, key, cancellationToken).ConfigureAwait(false);
                            await column.WriteAsync(importer, EncodeVector(column, embedding, key), cancellationToken).ConfigureAwait(false);
                            embedded++;
                        }
                    }

                    await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await ExecuteAsync(
                connection, transaction,
                $"CLOSE {ReembedCursor}; UPDATE {_table} AS t SET {column.Quoted} = r.v FROM {ReembedTable} AS r WHERE t.{_key.Quoted} = r.k",
                cancellationToken).ConfigureAwait(false);
            await _schema.EndReembedAsync(connection, transaction, column, embedded, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return embedded;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);

        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreCollectionMetadata) ? _metadata
            : serviceType == typeof(NpgsqlDataSource) ? _dataSource
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    private static CollectionModel BuildModel(PostgresCollectionOptions options)
        => typeof(TRecord) == typeof(Dictionary<string, object?>)
            ? throw new NotSupportedException(VectorDataStrings.NonDynamicCollectionWithDictionaryNotSupported(typeof(PostgresDynamicCollection)))
            : new PostgresModelBuilder().Build(typeof(TRecord), typeof(TKey), options.Definition, options.EmbeddingGenerator);

    private async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchCoreAsync<TInput>(
        TInput searchValue,
        int top,
        VectorSearchOptions<TRecord> options,
        PostgresSearchSettings settings,
        bool includeVectors,
        VectorPropertyModel vectorProperty,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var column = _byProperty[vectorProperty];
        var (vector, cast) = await GetQueryVectorAsync(searchValue, column, cancellationToken).ConfigureAwait(false);
        var distanceFunction = PostgresIndexes.DistanceFunctionOf((VectorPropertyModel)column.Property);

        var parameters = new List<NpgsqlParameter> { vector };
        var distance = $"({column.Quoted} {PostgresIndexes.Operator(distanceFunction)} $1{cast})";
        var score = PostgresIndexes.Score(distanceFunction, distance);

        // A record without a vector (no text to embed) has no score, and no place in a vector ranking.
        var where = (options.Filter is null ? "TRUE" : Filter(options.Filter, parameters)) + _visible + $" AND {column.Quoted} IS NOT NULL";
        if (options.ScoreThreshold is { } threshold)
        {
            parameters.Add(new NpgsqlParameter { Value = threshold });
            where += $" AND {score} {(PostgresIndexes.HigherIsCloser(distanceFunction) ? ">=" : "<=")} ${parameters.Count}";
        }

        parameters.Add(new NpgsqlParameter { Value = (long)top });
        parameters.Add(new NpgsqlParameter { Value = (long)options.Skip });
        var orderBy = settings.ExactScan ? $"{distance} + 0" : distance;
        var sql = $"SELECT {Select(includeVectors)}, {score} FROM {_table} WHERE {where} ORDER BY {orderBy} LIMIT ${parameters.Count - 1} OFFSET ${parameters.Count}";

        var wanted = top + options.Skip;
        var filtered = options.Filter is not null;
        await foreach (var (record, resultScore) in StreamAsync(
            "Search", sql, parameters, batch => AddSearchSettings(batch, column, settings, wanted, filtered), includeVectors, withScore: true, cancellationToken).ConfigureAwait(false))
        {
            yield return new VectorSearchResult<TRecord>(record, resultScore);
        }
    }

    private async IAsyncEnumerable<VectorSearchResult<TRecord>> HybridSearchCoreAsync<TInput>(
        TInput searchValue,
        List<string> keywords,
        int top,
        HybridSearchOptions<TRecord> options,
        bool includeVectors,
        VectorPropertyModel vectorProperty,
        DataPropertyModel textProperty,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var column = _byProperty[vectorProperty];
        var (vector, cast) = await GetQueryVectorAsync(searchValue, column, cancellationToken).ConfigureAwait(false);
        var text = _byProperty[textProperty];
        var tsv = text.TsVectorColumn is { } tsvName ? PostgresNames.Quote(tsvName) : throw new InvalidOperationException(
            $"Data property '{textProperty.ModelName}' is not a full-text indexed string property.");
        var distanceFunction = PostgresIndexes.DistanceFunctionOf(vectorProperty);

        var parameters = new List<NpgsqlParameter> { vector };
        var distance = $"({column.Quoted} {PostgresIndexes.Operator(distanceFunction)} $1{cast})";
        var where = (options.Filter is null ? "TRUE" : Filter(options.Filter, parameters)) + _visible;
        if (options.ScoreThreshold is { } threshold)
        {
            parameters.Add(new NpgsqlParameter { Value = threshold });
            where += $" AND {PostgresIndexes.Score(distanceFunction, distance)} {(PostgresIndexes.HigherIsCloser(distanceFunction) ? ">=" : "<=")} ${parameters.Count}";
        }

        var configuration = $"'{_options.TextSearchConfiguration}'::regconfig";
        var terms = keywords.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        var query = terms.Count == 0 ? "NULL::tsquery" : string.Join(" || ", terms.Select(term =>
        {
            parameters.Add(new NpgsqlParameter { Value = term, NpgsqlDbType = NpgsqlDbType.Text });
            return $"plainto_tsquery({configuration}, ${parameters.Count})";
        }));

        // Each ranking looks at enough candidates for the page; a record in neither list cannot outrank one in both.
        var candidates = Math.Max(20, 2 * (top + options.Skip));
        parameters.Add(new NpgsqlParameter { Value = (long)candidates });
        var candidatesParameter = "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add(new NpgsqlParameter { Value = _options.HybridVectorWeight });
        var vectorWeight = "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add(new NpgsqlParameter { Value = _options.HybridKeywordWeight });
        var keywordWeight = "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add(new NpgsqlParameter { Value = (long)top });
        parameters.Add(new NpgsqlParameter { Value = (long)options.Skip });

        var k = RrfK.ToString(CultureInfo.InvariantCulture);
        var sql = $"""
            WITH vector_hits AS (
                SELECT key, rank() OVER (ORDER BY distance) AS r FROM (
                    SELECT {_key.Quoted} AS key, {distance} AS distance FROM {_table} WHERE {where}
                    ORDER BY {distance} LIMIT {candidatesParameter}) AS v),
            text_hits AS (
                SELECT key, rank() OVER (ORDER BY relevance DESC) AS r FROM (
                    SELECT {_key.Quoted} AS key, ts_rank_cd({tsv}, q) AS relevance FROM {_table}, (SELECT {query} AS q) AS query
                    WHERE {tsv} @@ q AND {where}
                    ORDER BY relevance DESC LIMIT {candidatesParameter}) AS t),
            fused AS (
                SELECT coalesce(v.key, t.key) AS key,
                       coalesce({vectorWeight} / ({k} + v.r), 0) + coalesce({keywordWeight} / ({k} + t.r), 0) AS score,
                       v.r AS vector_rank
                FROM vector_hits AS v FULL JOIN text_hits AS t ON v.key = t.key)
            SELECT {Select(includeVectors, "c.")}, fused.score FROM fused JOIN {_table} AS c ON c.{_key.Quoted} = fused.key
            ORDER BY fused.score DESC, fused.vector_rank NULLS LAST, fused.key
            LIMIT ${parameters.Count - 1} OFFSET ${parameters.Count}
            """;

        var filtered = options.Filter is not null;
        await foreach (var (record, score) in StreamAsync(
            "HybridSearch", sql, parameters, batch => AddSearchSettings(batch, column, _options.SearchSettings, candidates, filtered), includeVectors, withScore: true, cancellationToken).ConfigureAwait(false))
        {
            yield return new VectorSearchResult<TRecord>(record, score);
        }
    }

    /// <summary>
    /// Index search settings for the query that follows in the same batch: <c>set_config(..., true)</c> lasts until the
    /// end of the batch's implicit transaction, so a pooled connection never keeps them.
    /// </summary>
    private static void AddSearchSettings(NpgsqlBatch batch, PostgresColumn column, PostgresSearchSettings settings, int wanted, bool filtered)
    {
        var indexKind = PostgresIndexes.IndexKindOf((VectorPropertyModel)column.Property);
        if (settings.ExactScan || indexKind == IndexKind.Flat)
        {
            return;
        }

        var command = new NpgsqlBatchCommand();
        if (indexKind == IndexKind.Hnsw)
        {
            var efSearch = settings.EfSearch ?? Math.Clamp(wanted, 40, 1000);
            command.CommandText = "SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', $2, true)";
            command.Parameters.Add(new NpgsqlParameter { Value = efSearch.ToString(CultureInfo.InvariantCulture) });
            command.Parameters.Add(new NpgsqlParameter { Value = filtered && settings.IterativeScanWhenFiltered ? "strict_order" : "off" });
        }
        else
        {
            command.CommandText = "SELECT set_config('ivfflat.probes', $1, true), set_config('ivfflat.iterative_scan', $2, true)";
            command.Parameters.Add(new NpgsqlParameter { Value = (settings.Probes ?? 1).ToString(CultureInfo.InvariantCulture) });
            command.Parameters.Add(new NpgsqlParameter { Value = filtered && settings.IterativeScanWhenFiltered ? "relaxed_order" : "off" });
        }

        batch.BatchCommands.Add(command);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using var commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<TRecord>> FetchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(
            $"FETCH {ReembedBatchSize.ToString(CultureInfo.InvariantCulture)} FROM {ReembedCursor}", connection, transaction) { CommandTimeout = 0 };
        await using var commandScope = command.ConfigureAwait(false);
        var rows = await ReadAllAsync(command, includeVectors: false, withScore: false, cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.Record);
    }

    private async Task DeleteCoreAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Array keys, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand($"DELETE FROM {_table} WHERE {_key.Quoted} = ANY($1)", connection, transaction);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | _key.DbType });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Locks the batch's keys, deletes them and writes the rows by binary COPY, inside <paramref name="transaction"/>.</summary>
    private async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PreparedBatch batch, CancellationToken cancellationToken)
    {
        var prelude = new NpgsqlBatch(connection, transaction);
        await using (prelude.ConfigureAwait(false))
        {
            // Small batches lock their keys (sorted, so overlapping writers never deadlock) under a shared collection lock;
            // large batches take the collection lock exclusively: one lock instead of thousands of lock-table entries.
            var hashes = batch.KeyHashes();
            var collectionLock = new NpgsqlBatchCommand(
                hashes.Length <= MaxKeyLocks ? "SELECT pg_advisory_xact_lock_shared($1, $2)" : "SELECT pg_advisory_xact_lock($1, $2)");
            collectionLock.Parameters.Add(new NpgsqlParameter { Value = PostgresSchema.LockClass, NpgsqlDbType = NpgsqlDbType.Integer });
            collectionLock.Parameters.Add(new NpgsqlParameter { Value = _schema.LockId, NpgsqlDbType = NpgsqlDbType.Integer });
            prelude.BatchCommands.Add(collectionLock);
            if (hashes.Length <= MaxKeyLocks)
            {
                var keyLocks = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1, h) FROM unnest($2::int4[]) AS h");
                keyLocks.Parameters.Add(new NpgsqlParameter { Value = _schema.LockId, NpgsqlDbType = NpgsqlDbType.Integer });
                keyLocks.Parameters.Add(new NpgsqlParameter { Value = hashes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
                prelude.BatchCommands.Add(keyLocks);
            }

            var deleteCommand = new NpgsqlBatchCommand($"DELETE FROM {_table} WHERE {_key.Quoted} = ANY($1)");
            deleteCommand.Parameters.Add(new NpgsqlParameter { Value = batch.Keys(_key.Property.Type), NpgsqlDbType = NpgsqlDbType.Array | _key.DbType });
            prelude.BatchCommands.Add(deleteCommand);
            await prelude.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var columns = new[] { _key }.Concat(_data).Concat(_vectors).ToArray();
        var importer = await connection.BeginBinaryImportAsync(_copy, cancellationToken).ConfigureAwait(false);
        await using var importerScope = importer.ConfigureAwait(false);
        foreach (var row in batch.Rows)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            for (var c = 0; c < columns.Length; c++)
            {
                if (row[c] is { } value)
                {
                    await columns[c].WriteAsync(importer, value, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (_schema.Expires)
            {
                if (row[^1] is DateTime expiresAt)
                {
                    await importer.WriteAsync(expiresAt, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Validates every record and brings it to column values before any connection is opened.</summary>
    private async Task<PreparedBatch> PrepareAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken)
    {
        var list = records as IReadOnlyList<TRecord> ?? [.. records];
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"The record at index {i} is null.", nameof(records));
            }
        }

        var batch = new PreparedBatch();
        if (list.Count == 0)
        {
            return batch;
        }

        var generated = new Embedding?[_vectors.Count][];
        for (var v = 0; v < _vectors.Count; v++)
        {
            var property = (VectorPropertyModel)_vectors[v].Property;
            if (!PostgresColumn.IsFloatVectorType(property.Type) && !PostgresColumn.IsHalfType(property.Type) && !PostgresColumn.IsSparseType(property.Type))
            {
                generated[v] = await VectorStoreRecords.GenerateEmbeddingsAsync(property, list, cancellationToken).ConfigureAwait(false);
            }
        }

        var width = 1 + _data.Count + _vectors.Count + (_schema.Expires ? 1 : 0);
        var defaultExpiry = _options.TimeToLive is { } ttl ? DateTime.UtcNow + ttl : (DateTime?)null;
        for (var i = 0; i < list.Count; i++)
        {
            var record = list[i];
            var row = new object?[width];
            var key = VectorStoreRecords.ReadValue(_model.KeyProperty, record, $"at index {i}")
                ?? throw new ArgumentException($"The record at index {i} has a null key '{_model.KeyProperty.ModelName}'.", nameof(records));
            if (_model.KeyProperty.IsAutoGenerated && key is Guid guid && guid == Guid.Empty)
            {
                key = Guid.CreateVersion7();
                batch.GeneratedKeys.Add((record, (Guid)key));
            }
            else if (!_key.Property.Type.IsInstanceOfType(key))
            {
                throw new ArgumentException(
                    $"Key property '{_model.KeyProperty.ModelName}' of the record at index {i} holds a '{key.GetType().Name}'; the collection expects '{_key.Property.Type.Name}'.",
                    nameof(records));
            }

            row[0] = key;
            for (var d = 0; d < _data.Count; d++)
            {
                var property = _data[d].Property;
                var value = VectorStoreRecords.ReadValue(property, record, $"with key '{key}'");
                var type = Nullable.GetUnderlyingType(property.Type) ?? property.Type;
                if (value is not null && !type.IsInstanceOfType(value))
                {
                    throw new ArgumentException(
                        $"Data property '{property.ModelName}' of the record with key '{key}' holds a '{value.GetType().Name}'; the collection expects '{property.Type.Name}'.",
                        nameof(records));
                }

                row[1 + d] = _data[d].ToColumnValue(value);
            }

            for (var v = 0; v < _vectors.Count; v++)
            {
                var column = _vectors[v];
                var property = column.Property;
                var value = generated[v] is { } embeddings ? embeddings[i] : VectorStoreRecords.ReadValue(property, record, $"with key '{key}'");
                row[1 + _data.Count + v] = value is null ? null : EncodeVector(column, value, key);
            }

            if (_schema.Expires)
            {
                row[^1] = _expiryProperty is not null && row[1 + _data.IndexOf(_expiryProperty)] is { } expiry
                    ? expiry is DateTimeOffset offset ? offset.UtcDateTime : (DateTime)expiry
                    : defaultExpiry;
            }

            batch.Add(key, row);
        }

        return batch;
    }

    private static byte[] EncodeVector(PostgresColumn column, object value, object key)
    {
        if (column.IsSparseVector)
        {
            if (value is not SparseVector sparse)
            {
                throw new ArgumentException(
                    $"Vector property '{column.Property.ModelName}' of the record with key '{key}' holds a '{value.GetType().Name}'; the collection expects a Pgvector.SparseVector.");
            }

            var (indices, values) = ValidateSparse(sparse, column, $"Vector property '{column.Property.ModelName}' of the record with key '{key}'", stored: true);
            return PostgresColumn.EncodeSparseVector(sparse.Dimensions, indices, values);
        }

        ReadOnlySpan<float> floats = value switch
        {
            ReadOnlyMemory<float> memory => memory.Span,
            Embedding<float> embedding => embedding.Vector.Span,
            float[] array => array,
            ReadOnlyMemory<Half> memory => Array.ConvertAll(memory.ToArray(), h => (float)h),
            Embedding<Half> embedding => Array.ConvertAll(embedding.Vector.ToArray(), h => (float)h),
            Half[] array => Array.ConvertAll(array, h => (float)h),
            _ => throw new ArgumentException(
                $"Vector property '{column.Property.ModelName}' of the record with key '{key}' holds a '{value.GetType().Name}'; supported: {PostgresModelBuilder.SupportedVectorTypes}."),
        };

        if (floats.Length != column.Dimensions)
        {
            throw new ArgumentException(
                $"Vector property '{column.Property.ModelName}' of the record with key '{key}' has {floats.Length} dimensions; the collection expects {column.Dimensions}.");
        }

        foreach (var f in floats)
        {
            if (!float.IsFinite(f))
            {
                throw new ArgumentException($"Vector property '{column.Property.ModelName}' of the record with key '{key}' holds NaN or infinity, which pgvector rejects.");
            }
        }

        return PostgresColumn.EncodeVector(floats, column.IsHalfVector);
    }

    /// <summary>
    /// Checks a sparse vector against the column and pgvector's rules before anything is written: its dimensions, indices
    /// ascending and in range, finite values, and the count of non-zero elements (at most 1,000 in an HNSW index).
    /// Returns the non-zero elements, which is all pgvector accepts.
    /// </summary>
    private static (int[] Indices, float[] Values) ValidateSparse(SparseVector vector, PostgresColumn column, string subject, bool stored)
    {
        if (vector.Dimensions != column.Dimensions)
        {
            throw new ArgumentException($"{subject} has {vector.Dimensions} dimensions; the collection expects {column.Dimensions}.");
        }

        var indices = new List<int>(vector.Indices.Length);
        var values = new List<float>(vector.Values.Length);
        var indexSpan = vector.Indices.Span;
        var valueSpan = vector.Values.Span;
        for (var i = 0; i < indexSpan.Length; i++)
        {
            if (indexSpan[i] < 0 || indexSpan[i] >= vector.Dimensions || (i > 0 && indexSpan[i] <= indexSpan[i - 1]))
            {
                throw new ArgumentException($"{subject} has index {indexSpan[i]} out of order or out of range; indices must be ascending, unique and below {vector.Dimensions}.");
            }

            if (!float.IsFinite(valueSpan[i]))
            {
                throw new ArgumentException($"{subject} holds NaN or infinity, which pgvector rejects.");
            }

            if (valueSpan[i] != 0)
            {
                indices.Add(indexSpan[i]);
                values.Add(valueSpan[i]);
            }
        }

        var hnsw = PostgresIndexes.IndexKindOf((VectorPropertyModel)column.Property) == IndexKind.Hnsw;
        var limit = stored && hnsw ? PostgresIndexes.MaxIndexedSparseNonZero : PostgresIndexes.MaxSparseNonZero;
        if (indices.Count > limit)
        {
            throw new ArgumentException(
                $"{subject} has {indices.Count} non-zero elements; pgvector's limit for a sparsevec {(stored && hnsw ? "in an HNSW index" : "value")} is {limit:N0}.");
        }

        return ([.. indices], [.. values]);
    }

    /// <summary>The query vector as a parameter, and the cast that makes it the column's pgvector type.</summary>
    private static async ValueTask<(NpgsqlParameter Parameter, string Cast)> GetQueryVectorAsync<TInput>(
        TInput searchValue, PostgresColumn column, CancellationToken cancellationToken)
    {
        var property = (VectorPropertyModel)column.Property;
        if (column.IsSparseVector)
        {
            var sparse = searchValue switch
            {
                SparseVector vector => vector,
                ReadOnlyMemory<float> memory => new SparseVector(memory),
                float[] array => new SparseVector(array),
                _ => throw new NotSupportedException(
                    $"Vector property '{property.ModelName}' is a sparsevec; search it with a Pgvector.SparseVector (or a dense ReadOnlyMemory<float> / float[]), not a '{searchValue?.GetType().Name}'."),
            };

            var (indices, values) = ValidateSparse(sparse, column, "The search vector", stored: false);

            // The text form '{1:0.5,3:2}/5' has one-based indices; float formatting round-trips.
            var literal = string.Concat(
                "{",
                string.Join(",", indices.Select((index, i) => string.Concat((index + 1).ToString(CultureInfo.InvariantCulture), ":", values[i].ToString(CultureInfo.InvariantCulture)))),
                "}/",
                sparse.Dimensions.ToString(CultureInfo.InvariantCulture));
            return (new NpgsqlParameter { Value = literal, NpgsqlDbType = NpgsqlDbType.Text }, "::sparsevec");
        }

        var dense = await GetDenseQueryVectorAsync(searchValue, property, cancellationToken).ConfigureAwait(false);
        return (new NpgsqlParameter { Value = dense, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real }, "::real[]::" + column.VectorTypeName);
    }

    private static async ValueTask<float[]> GetDenseQueryVectorAsync<TInput>(TInput searchValue, VectorPropertyModel property, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<float> vector = searchValue switch
        {
            ReadOnlyMemory<float> memory => memory,
            float[] array => array,
            Embedding<float> embedding => embedding.Vector,
            ReadOnlyMemory<Half> memory => Array.ConvertAll(memory.ToArray(), h => (float)h),
            Half[] array => Array.ConvertAll(array, h => (float)h),
            Embedding<Half> embedding => Array.ConvertAll(embedding.Vector.ToArray(), h => (float)h),
            _ when property.EmbeddingGenerationDispatcher is not null
                => await property.GenerateEmbeddingAsync(searchValue!, cancellationToken).ConfigureAwait(false) switch
                {
                    Embedding<float> embedding => embedding.Vector,
                    Embedding<Half> embedding => Array.ConvertAll(embedding.Vector.ToArray(), h => (float)h),
                    var other => throw new InvalidOperationException($"The embedding generator returned an unsupported '{other.GetType().Name}'."),
                },
            _ when property.EmbeddingGenerator is null => throw new NotSupportedException(
                VectorDataStrings.InvalidSearchInputAndNoEmbeddingGeneratorWasConfigured(searchValue!.GetType(), PostgresModelBuilder.SupportedVectorTypes)),
            _ => throw new InvalidOperationException(
                VectorDataStrings.IncompatibleEmbeddingGeneratorWasConfiguredForInputType(typeof(TInput), property.EmbeddingGenerator.GetType())),
        };

        if (vector.Length != property.Dimensions)
        {
            throw new ArgumentException(
                $"The search vector has {vector.Length} dimensions; vector property '{property.ModelName}' has {property.Dimensions}.", nameof(searchValue));
        }

        return vector.ToArray();
    }

    private string Select(bool includeVectors, string prefix = "")
        => prefix.Length == 0
            ? includeVectors ? _selectWithVectors : _selectWithoutVectors
            : string.Join(", ", new[] { _key }.Concat(_data).Concat(includeVectors ? _vectors : []).Select(c => c.Selection(prefix)));

    private string Filter(LambdaExpression filter, List<NpgsqlParameter> parameters)
        => new PostgresFilterTranslator(_byProperty, parameters).Translate(filter, _model);

    private PostgresColumn Column(PropertyModel property)
        => _byProperty.TryGetValue(property, out var column) && !column.IsVector && !column.IsJson
            ? column
            : throw new NotSupportedException($"Property '{property.ModelName}' cannot be used to order results.");

    private async Task<List<(TRecord Record, double? Score)>> ReadAllAsync(
        NpgsqlCommand command, bool includeVectors, bool withScore, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await ReadAllAsync(reader, includeVectors, withScore, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams the rows of one query with its error mapping: each row is materialized when the caller asks for it.</summary>
    private IAsyncEnumerable<(TRecord Record, double? Score)> StreamAsync(
        string operation, string sql, IEnumerable<NpgsqlParameter> parameters, Action<NpgsqlBatch>? prepare, bool includeVectors, bool withScore, CancellationToken cancellationToken)
        => PostgresErrors.StreamAsync(ReadRowsAsync(sql, parameters, prepare, includeVectors, withScore, cancellationToken), operation, Name, cancellationToken);

    private async IAsyncEnumerable<(TRecord Record, double? Score)> ReadRowsAsync(
        string sql,
        IEnumerable<NpgsqlParameter> parameters,
        Action<NpgsqlBatch>? prepare,
        bool includeVectors,
        bool withScore,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var batch = new NpgsqlBatch(connection);
        await using var batchScope = batch.ConfigureAwait(false);
        prepare?.Invoke(batch);
        var query = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            query.Parameters.Add(parameter);
        }

        batch.BatchCommands.Add(query);

        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);

        // Settings statements come first; the query's rows are in the last result set.
        for (var i = 1; i < batch.BatchCommands.Count; i++)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        var scoreOrdinal = 1 + _data.Count + (includeVectors ? _vectors.Count : 0);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return (Materialize(reader, includeVectors), withScore ? reader.GetDouble(scoreOrdinal) : null);
        }
    }

    private async Task<List<(TRecord Record, double? Score)>> ReadAllAsync(
        NpgsqlDataReader reader, bool includeVectors, bool withScore, CancellationToken cancellationToken)
    {
        var results = new List<(TRecord, double?)>();
        var scoreOrdinal = 1 + _data.Count + (includeVectors ? _vectors.Count : 0);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add((Materialize(reader, includeVectors), withScore ? reader.GetDouble(scoreOrdinal) : null));
        }

        return results;
    }

    private TRecord Materialize(NpgsqlDataReader reader, bool includeVectors)
    {
        var record = _model.CreateRecord<TRecord>()!;
        _model.KeyProperty.SetValueAsObject(record, _key.Read(reader, 0));
        for (var d = 0; d < _data.Count; d++)
        {
            var property = _data[d].Property;
            var value = _data[d].Read(reader, 1 + d);
            if (value is not null || !property.Type.IsValueType || Nullable.GetUnderlyingType(property.Type) is not null)
            {
                property.SetValueAsObject(record, value);
            }
        }

        if (includeVectors)
        {
            for (var v = 0; v < _vectors.Count; v++)
            {
                if (_vectors[v].Read(reader, 1 + _data.Count + v) is { } vector)
                {
                    _vectors[v].Property.SetValueAsObject(record, vector);
                }
            }
        }

        return record;
    }

    private object CheckKey(object key)
        => _key.Property.Type.IsInstanceOfType(key)
            ? key
            : throw new ArgumentException($"The key is a '{key.GetType().Name}'; the collection's key is a '{_key.Property.Type.Name}'.", nameof(key));

    private Array KeyArray(IEnumerable<TKey> keys)
    {
        var list = keys.ToList();
        var array = Array.CreateInstance(_key.Property.Type, list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            array.SetValue(CheckKey(list[i] ?? throw new ArgumentException($"The key at index {i} is null.", nameof(keys))), i);
        }

        return array;
    }

    private bool CheckIncludeVectors(bool includeVectors)
        => includeVectors && _model.EmbeddingGenerationRequired
            ? throw new NotSupportedException(VectorDataStrings.IncludeVectorsNotSupportedWithEmbeddingGeneration)
            : includeVectors;

    private async Task RunAsync(string operation, Func<Task> action)
        => await RunAsync(operation, async () =>
        {
            await action().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    private Task<T> RunAsync<T>(string operation, Func<Task<T>> action) => PostgresErrors.RunAsync(operation, Name, action);

    /// <summary>The rows of one upsert, deduplicated by key (the last record of a key wins, as sequential upserts would).</summary>
    private sealed class PreparedBatch
    {
        private readonly Dictionary<object, int> _index = [];

        public List<object?[]> Rows { get; } = [];

        public List<(TRecord Record, Guid Key)> GeneratedKeys { get; } = [];

        public void Add(object key, object?[] row)
        {
            if (_index.TryGetValue(key, out var existing))
            {
                Rows[existing] = row;
            }
            else
            {
                _index[key] = Rows.Count;
                Rows.Add(row);
            }
        }

        public Array Keys(Type keyType)
        {
            var array = Array.CreateInstance(keyType, Rows.Count);
            for (var i = 0; i < Rows.Count; i++)
            {
                array.SetValue(Rows[i][0], i);
            }

            return array;
        }

        public int[] KeyHashes()
        {
            var hashes = Rows.Select(r => KeyHash(r[0]!)).Distinct().ToArray();
            Array.Sort(hashes);
            return hashes;
        }

        public void WriteBackGeneratedKeys(KeyPropertyModel keyProperty)
        {
            foreach (var (record, key) in GeneratedKeys)
            {
                keyProperty.SetValueAsObject(record, key);
            }
        }

        private static int KeyHash(object key) => key switch
        {
            int i => i,
            long l => (int)(l ^ (l >> 32)),
            Guid g => g.GetHashCode(),
            string s => Fnv(s),
            _ => Fnv(Convert.ToString(key, CultureInfo.InvariantCulture) ?? string.Empty),
        };

        private static int Fnv(string s)
        {
            var hash = 2166136261u;
            foreach (var c in s)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return (int)hash;
        }
    }
}
