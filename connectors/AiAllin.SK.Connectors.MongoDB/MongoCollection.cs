using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// A collection stored in one MongoDB collection: one document per record, the key in <c>_id</c>, vectors as arrays of
/// doubles. Batches are written by one unordered bulk write; vector search runs as <c>$vectorSearch</c> on a vector
/// search index or as an exact-scan aggregation pipeline (see <see cref="MongoVectorSearchMode"/>); hybrid search fuses
/// the vector and keyword rankings by reciprocal rank.
/// </summary>
/// <typeparam name="TKey">The key type: <see cref="string"/>, <see cref="Guid"/>, <see cref="ObjectId"/>, <see cref="int"/> or <see cref="long"/>.</typeparam>
/// <typeparam name="TRecord">The record type.</typeparam>
#pragma warning disable CA1711 // The name mirrors MEVD's own collection types.
public class MongoCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>, IKeywordHybridSearchable<TRecord>
#pragma warning restore CA1711
    where TKey : notnull
    where TRecord : class
{
    private readonly IMongoDatabase _database;
    private readonly IMongoCollection<BsonDocument> _collection;
    private readonly CollectionModel _model;
    private readonly MongoCollectionOptions _options;
    private readonly VectorStoreCollectionMetadata _metadata;
    private readonly MongoIndexes _indexes;
    private readonly List<string> _vectorFields;
    private readonly DataPropertyModel? _expiryProperty;
    private readonly bool _expires;

    /// <summary>Initializes a new collection object over the MongoDB collection <paramref name="name"/> of <paramref name="database"/>.</summary>
    /// <param name="database">The database (its client's connection pool is shared by every collection).</param>
    /// <param name="name">The collection name: a letter or underscore, then up to 119 letters, digits, underscores or hyphens.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    public MongoCollection(IMongoDatabase database, string name, MongoCollectionOptions? options = null)
        : this(database, name, BuildModel, options)
    {
    }

    internal MongoCollection(IMongoDatabase database, string name, Func<MongoCollectionOptions, CollectionModel> modelFactory, MongoCollectionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(database);
        MongoNames.ValidateCollectionName(name, nameof(name));
        _options = options?.Clone() ?? new MongoCollectionOptions();
        MongoNames.ValidateIndexName(_options.VectorIndexName, nameof(options));
        MongoNames.ValidateIndexName(_options.SearchIndexName, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.NumCandidatesFactor, 1, nameof(options));
        if (_options.TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), ttl, "The time to live must be positive.");
        }

        _database = database;
        _collection = database.GetCollection<BsonDocument>(name);
        Name = name;
        _model = modelFactory(_options);
        _vectorFields = _model.VectorProperties.Select(p => p.StorageName).ToList();

        if (_options.ExpiryProperty is { } expiryName)
        {
            _expiryProperty = _model.DataProperties.FirstOrDefault(p => p.ModelName == expiryName
                    && (Nullable.GetUnderlyingType(p.Type) ?? p.Type) is var t && (t == typeof(DateTimeOffset) || t == typeof(DateTime)))
                ?? throw new ArgumentException($"The expiry property '{expiryName}' must be a DateTimeOffset or DateTime data property of the record.", nameof(options));
        }

        _expires = _expiryProperty is not null || _options.TimeToLive is not null;
        var usesVectorIndex = _model.VectorProperties.Any(UsesVectorIndex);
        _indexes = new MongoIndexes(_model, _options, _expires, usesVectorIndex, _options.KeywordSearchMode == MongoKeywordSearchMode.SearchIndex);
        _metadata = new() { VectorStoreSystemName = MongoVectorStore.SystemName, VectorStoreName = database.DatabaseNamespace.DatabaseName, CollectionName = name };
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <summary>Gets the collection model (for tests and diagnostics).</summary>
    internal CollectionModel Model => _model;

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default)
        => RunAsync("CollectionExists", () => MongoVectorStore.ExistsAsync(_database, Name, cancellationToken));

    /// <summary>
    /// Creates the collection and its indexes when missing: ascending indexes on indexed data properties, a text index
    /// over full-text properties, a TTL index when records expire, and the vector search (and MongoDB Search) index
    /// when the collection's modes use them, waiting until those are queryable. Idempotent and safe to run from several processes.
    /// </summary>
    /// <inheritdoc />
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
        => RunAsync("EnsureCollectionExists", async () =>
        {
            await _indexes.EnsureAsync(_database, _collection, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
        => RunAsync("EnsureCollectionDeleted", async () =>
        {
            await _database.DropCollectionAsync(Name, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    public override async Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var includeVectors = CheckIncludeVectors(options?.IncludeVectors ?? false);
        var filter = Visible(new BsonDocument("_id", new BsonDocument("$eq", KeyToBson(key))));
        var found = await RunAsync("Get", async () =>
        {
            using var cursor = await _collection.FindAsync(filter, FindOptions(includeVectors, limit: 1), cancellationToken).ConfigureAwait(false);
            return await cursor.FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return found is null ? null : Materialize(found, includeVectors);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<TRecord> GetAsync(
        IEnumerable<TKey> keys, RecordRetrievalOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var includeVectors = CheckIncludeVectors(options?.IncludeVectors ?? false);
        var keyValues = KeyValues(keys);
        if (keyValues.Count == 0)
        {
            yield break;
        }

        var filter = Visible(new BsonDocument("_id", new BsonDocument("$in", new BsonArray(keyValues))));
        await foreach (var document in FindAsync("Get", filter, FindOptions(includeVectors), cancellationToken).ConfigureAwait(false))
        {
            yield return Materialize(document, includeVectors);
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

        var query = Visible(Filter(filter));
        var findOptions = FindOptions(includeVectors, top);
        findOptions.Skip = options.Skip;
        findOptions.Sort = Sort(options);
        await foreach (var document in FindAsync("Get", query, findOptions, cancellationToken).ConfigureAwait(false))
        {
            yield return Materialize(document, includeVectors);
        }
    }

    /// <inheritdoc />
    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return DeleteAsync([key], cancellationToken);
    }

    /// <summary>
    /// Deletes the records in one unordered bulk write (one <c>deleteOne</c> per key). A partial failure raises
    /// <see cref="MongoBatchWriteException"/> naming the keys deleted and those not.
    /// </summary>
    /// <inheritdoc />
    public override async Task DeleteAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var keyValues = KeyValues(keys).Distinct().ToList();
        if (keyValues.Count == 0)
        {
            return;
        }

        var requests = keyValues
            .Select(k => (WriteModel<BsonDocument>)new DeleteOneModel<BsonDocument>(new BsonDocument("_id", new BsonDocument("$eq", k))))
            .ToList();
        await BulkWriteAsync("Delete", requests, keyValues.Select(k => (object)k).ToList(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <summary>
    /// Upserts the records by one unordered bulk write of <c>replaceOne</c> with <c>upsert: true</c>, after every record
    /// is validated and embedded (a bad record fails the call before anything is sent). When a batch repeats a key, its
    /// last record wins. MongoDB applies each document atomically but not the batch: a partial failure raises
    /// <see cref="MongoBatchWriteException"/> naming the keys written and those not.
    /// </summary>
    /// <inheritdoc />
    public override async Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records as IReadOnlyList<TRecord> ?? [.. records];
        var (documents, generatedKeys) = await PrepareAsync(list, cancellationToken).ConfigureAwait(false);
        if (documents.Count == 0)
        {
            return;
        }

        var requests = documents
            .Select(d => (WriteModel<BsonDocument>)new ReplaceOneModel<BsonDocument>(new BsonDocument("_id", new BsonDocument("$eq", d["_id"])), d) { IsUpsert = true })
            .ToList();
        await BulkWriteAsync("Upsert", requests, documents.Select(d => KeyFromBson(d["_id"])).ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var (record, key) in generatedKeys)
        {
            _model.KeyProperty.SetValueAsObject(record, key);
        }
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(
        TInput searchValue, int top, Microsoft.Extensions.VectorData.VectorSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options));
        var includeVectors = CheckIncludeVectors(options.IncludeVectors);
        var vectorProperty = _model.GetVectorPropertyOrSingle(options);
        return SearchCoreAsync(searchValue, top, options.Skip, options.Filter, options.ScoreThreshold, includeVectors, vectorProperty, cancellationToken);
    }

    /// <summary>
    /// Searches by vector and keywords: the vector ranking and the keyword ranking (<c>$text</c> over the text index, or
    /// <c>$search</c>, by <see cref="MongoCollectionOptions.KeywordSearchMode"/>) are fused by reciprocal rank,
    /// w/(60 + rank), with equal scores sharing a rank; records no keyword matches keep their vector rank. The score is
    /// the fused score; <see cref="HybridSearchOptions{TRecord}.ScoreThreshold"/> applies to the vector score.
    /// Keywords are terms only: quotes and a leading minus, <c>$text</c>'s phrase and negation syntax, are removed.
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
        var vectorProperty = _model.GetVectorPropertyOrSingle(new Microsoft.Extensions.VectorData.VectorSearchOptions<TRecord> { VectorProperty = options.VectorProperty });
        var textProperty = _model.GetFullTextDataPropertyOrSingle(options.AdditionalProperty);
        return HybridSearchCoreAsync(searchValue, [.. keywords], top, options, includeVectors, vectorProperty, textProperty, cancellationToken);
    }

    /// <summary>
    /// Watches the collection's changes as typed events (insert, update, replace, delete), each with the record's key,
    /// the record as it is after the change (none for a delete; the current document for an update) and a resume
    /// token: pass the last one seen as <see cref="MongoWatchOptions.ResumeAfter"/> to continue after a restart.
    /// Change streams need a replica set or a sharded cluster; a standalone server is reported with <see cref="NotSupportedException"/>.
    /// </summary>
    /// <param name="options">Where to start, or <see langword="null"/> for changes from now on.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events, as they happen.</returns>
    public IAsyncEnumerable<MongoChangeEvent<TKey, TRecord>> WatchAsync(MongoWatchOptions? options = null, CancellationToken cancellationToken = default)
        => MongoErrors.StreamAsync(
            MongoChangeStream.WatchAsync(
                _collection,
                options ?? new(),
                document => IsExpired(document) ? null : Materialize(document, includeVectors: !_model.EmbeddingGenerationRequired),
                id => (TKey)KeyFromBson(id),
                cancellationToken),
            "Watch",
            Name,
            cancellationToken);

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);

        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreCollectionMetadata) ? _metadata
            : serviceType == typeof(IMongoDatabase) ? _database
            : serviceType == typeof(IMongoCollection<BsonDocument>) ? _collection
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>The filter of a query, as the collection would send it (for tests and diagnostics).</summary>
    /// <summary>Counts the records that pass <paramref name="filter"/> (all records when it is <see langword="null"/>); expired records are not counted.</summary>
    /// <param name="filter">The filter, as for <c>GetAsync</c>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The number of records.</returns>
    public Task<long> CountAsync(Expression<Func<TRecord, bool>>? filter = null, CancellationToken cancellationToken = default)
    {
        var query = Visible(filter is null ? [] : Filter(filter));
        return RunAsync("Count", () => _collection.CountDocumentsAsync(query, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Counts the records that pass <paramref name="filter"/> by the value of one data property, most frequent first, in
    /// one aggregation on the server (for example articles per topic). An array property counts the array as one value.
    /// </summary>
    /// <param name="propertyName">The data property, by its name in the record definition.</param>
    /// <param name="filter">The filter, as for <c>GetAsync</c>; <see langword="null"/> counts every record.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>One count per value.</returns>
    /// <exception cref="ArgumentException"><paramref name="propertyName"/> is not a data property of the record.</exception>
    public async Task<IReadOnlyList<MongoValueCount>> CountByAsync(
        string propertyName, Expression<Func<TRecord, bool>>? filter = null, CancellationToken cancellationToken = default)
    {
        var property = CountedProperty(propertyName);
        var pipeline = MongoPipelines.CountBy(Visible(filter is null ? [] : Filter(filter)), property.StorageName);
        var counts = new List<MongoValueCount>();
        await foreach (var group in AggregateAsync("CountBy", pipeline, cancellationToken).ConfigureAwait(false))
        {
            counts.Add(ToValueCount(group, property));
        }

        return counts;
    }

    /// <summary>
    /// Counts the records that pass <paramref name="filter"/> by each of several data properties at once (faceted counts
    /// for a search page), in one aggregation on the server with <c>$facet</c>.
    /// </summary>
    /// <param name="propertyNames">The data properties, by their names in the record definition.</param>
    /// <param name="filter">The filter, as for <c>GetAsync</c>; <see langword="null"/> counts every record.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>For each property name, one count per value, most frequent first.</returns>
    /// <exception cref="ArgumentException">A name is not a data property of the record, or none is given.</exception>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<MongoValueCount>>> CountByAsync(
        IReadOnlyList<string> propertyNames, Expression<Func<TRecord, bool>>? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(propertyNames);
        if (propertyNames.Count == 0)
        {
            throw new ArgumentException("Name at least one data property to count by.", nameof(propertyNames));
        }

        var properties = propertyNames.Select(CountedProperty).ToList();
        var pipeline = MongoPipelines.Facets(Visible(filter is null ? [] : Filter(filter)), [.. properties.Select(p => p.StorageName)]);
        var result = new Dictionary<string, IReadOnlyList<MongoValueCount>>(StringComparer.Ordinal);
        await foreach (var document in AggregateAsync("CountBy", pipeline, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < properties.Count; i++)
            {
                var groups = document.GetValue("f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), new BsonArray()).AsBsonArray;
                result[propertyNames[i]] = [.. groups.Select(g => ToValueCount(g.AsBsonDocument, properties[i]))];
            }
        }

        return result;
    }

    private DataPropertyModel CountedProperty(string propertyName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(propertyName);
        return _model.DataProperties.FirstOrDefault(p => p.ModelName == propertyName)
            ?? throw new ArgumentException(
                $"'{propertyName}' is not a data property of the record; counts group by one of: {string.Join(", ", _model.DataProperties.Select(p => p.ModelName))}.",
                nameof(propertyName));
    }

    private static MongoValueCount ToValueCount(BsonDocument group, DataPropertyModel property)
    {
        var value = group.GetValue("_id", BsonNull.Value);
        return new MongoValueCount(value.IsBsonNull ? null : MongoValues.FromBson(value, property.Type), group["count"].ToInt64());
    }

    internal BsonDocument Filter(LambdaExpression filter) => new MongoFilterTranslator(FieldOf).Translate(filter, _model);

    /// <summary>The document a record is stored as, given its generated embeddings (for tests and diagnostics).</summary>
    internal BsonDocument ToDocument(TRecord record, int index, Embedding?[]?[] generated, DateTime utcNow, out object key)
    {
        var keyValue = VectorStoreRecords.ReadValue(_model.KeyProperty, record, $"at index {index}")
            ?? throw new ArgumentException($"The record at index {index} has a null key '{_model.KeyProperty.ModelName}'.", nameof(record));
        if (!_model.KeyProperty.Type.IsInstanceOfType(keyValue))
        {
            throw new ArgumentException(
                $"Key property '{_model.KeyProperty.ModelName}' of the record at index {index} holds a '{keyValue.GetType().Name}'; the collection expects '{_model.KeyProperty.Type.Name}'.",
                nameof(record));
        }

        key = keyValue;
        var document = new BsonDocument("_id", KeyToBson(keyValue));
        foreach (var property in _model.DataProperties)
        {
            var value = VectorStoreRecords.ReadValue(property, record, $"with key '{keyValue}'");
            var type = Nullable.GetUnderlyingType(property.Type) ?? property.Type;
            if (value is not null && !type.IsInstanceOfType(value))
            {
                throw new ArgumentException(
                    $"Data property '{property.ModelName}' of the record with key '{keyValue}' holds a '{value.GetType().Name}'; the collection expects '{property.Type.Name}'.",
                    nameof(record));
            }

            document[property.StorageName] = MongoValues.ToBson(value);
        }

        for (var v = 0; v < _model.VectorProperties.Count; v++)
        {
            var property = _model.VectorProperties[v];
            var value = generated[v] is { } embeddings ? embeddings[index] : VectorStoreRecords.ReadValue(property, record, $"with key '{keyValue}'");
            document[property.StorageName] = value is null ? BsonNull.Value : MongoValues.VectorToBson(value, property.ModelName, property.Dimensions, keyValue);
        }

        if (_expires)
        {
            var expiry = _expiryProperty is not null ? _expiryProperty.GetValueAsObject(record) : null;
            document[MongoNames.ExpiryField] = expiry is not null ? MongoValues.ToBson(expiry)
                : _options.TimeToLive is { } ttl ? new BsonDateTime(utcNow + ttl)
                : new BsonDateTime(MongoNames.NeverExpires);
        }

        return document;
    }

    /// <summary>The record a stored document stands for.</summary>
    internal TRecord Materialize(BsonDocument document, bool includeVectors)
    {
        var record = _model.CreateRecord<TRecord>()!;
        _model.KeyProperty.SetValueAsObject(record, KeyFromBson(document["_id"]));
        foreach (var property in _model.DataProperties)
        {
            var value = document.TryGetValue(property.StorageName, out var stored) ? MongoValues.FromBson(stored, property.Type) : null;
            if (value is not null || !property.Type.IsValueType || Nullable.GetUnderlyingType(property.Type) is not null)
            {
                property.SetValueAsObject(record, value);
            }
        }

        if (includeVectors)
        {
            foreach (var property in _model.VectorProperties)
            {
                if (document.TryGetValue(property.StorageName, out var stored) && stored.IsBsonArray)
                {
                    property.SetValueAsObject(record, MongoValues.VectorFromBson(stored, property.Type));
                }
            }
        }

        return record;
    }

    /// <summary>The aggregation pipeline of a vector search, as the collection would send it (for tests and diagnostics).</summary>
    internal List<BsonDocument> SearchPipeline(
        VectorPropertyModel property, BsonArray query, Expression<Func<TRecord, bool>>? filter, double? scoreThreshold, int top, int skip, bool includeVectors, DateTime utcNow)
    {
        var userFilter = filter is null ? [] : Filter(filter);
        var expiry = _expires ? MongoPipelines.NotExpired(MongoNames.ExpiryField, utcNow) : null;
        var projection = MongoPipelines.Projection(_vectorFields, includeVectors, dropScore: false);
        var distanceFunction = MongoScoring.DistanceFunctionOf(property);

        // $vectorSearch takes the expiry as a pre-filter ($gt on the date every record of an expiring collection holds),
        // so expired records never take a place in the top results.
        var unexpired = _expires ? MongoPipelines.ExpiresAfter(MongoNames.ExpiryField, utcNow) : null;
        return UsesVectorIndex(property)
            ? MongoPipelines.VectorSearch(
                _options.VectorIndexName, property.StorageName, query, distanceFunction, MongoPipelines.And(userFilter, unexpired), scoreThreshold, _options.NumCandidatesFactor, top, skip, projection)
            : MongoPipelines.ExactSearch(property.StorageName, query, distanceFunction, MongoPipelines.And(userFilter, expiry), scoreThreshold, top, skip, projection);
    }

    private static CollectionModel BuildModel(MongoCollectionOptions options)
        => typeof(TRecord) == typeof(Dictionary<string, object?>)
            ? throw new NotSupportedException(VectorDataStrings.NonDynamicCollectionWithDictionaryNotSupported(typeof(MongoDynamicCollection)))
            : new MongoModelBuilder().Build(typeof(TRecord), typeof(TKey), options.Definition, options.EmbeddingGenerator);

    private bool UsesVectorIndex(VectorPropertyModel property) => _options.VectorSearchMode switch
    {
        MongoVectorSearchMode.VectorSearchIndex => true,
        MongoVectorSearchMode.ExactScan => false,
        _ => property.IndexKind == IndexKind.Hnsw,
    };

    private async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchCoreAsync<TInput>(
        TInput searchValue,
        int top,
        int skip,
        Expression<Func<TRecord, bool>>? filter,
        double? scoreThreshold,
        bool includeVectors,
        VectorPropertyModel vectorProperty,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = await MongoQueryVector.GetAsync(searchValue, vectorProperty, cancellationToken).ConfigureAwait(false);
        var pipeline = SearchPipeline(vectorProperty, query, filter, scoreThreshold, top, skip, includeVectors, DateTime.UtcNow);
        await foreach (var document in AggregateAsync("Search", pipeline, cancellationToken).ConfigureAwait(false))
        {
            yield return new VectorSearchResult<TRecord>(Materialize(document, includeVectors), document[MongoNames.ScoreField].ToDouble());
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
        if (!textProperty.IsFullTextIndexed || textProperty.Type != typeof(string))
        {
            throw new InvalidOperationException($"Data property '{textProperty.ModelName}' is not a full-text indexed string property.");
        }

        // Each ranking looks at enough candidates for the page; a record in neither list cannot outrank one in both.
        var candidates = Math.Max(20, 2 * (top + options.Skip));
        var vectorRanking = new List<(BsonDocument Document, double Score)>();
        var query = await MongoQueryVector.GetAsync(searchValue, vectorProperty, cancellationToken).ConfigureAwait(false);
        var now = DateTime.UtcNow;
        var vectorPipeline = SearchPipeline(vectorProperty, query, options.Filter, options.ScoreThreshold, candidates, 0, includeVectors, now);
        await foreach (var document in AggregateAsync("HybridSearch", vectorPipeline, cancellationToken).ConfigureAwait(false))
        {
            vectorRanking.Add((document, document[MongoNames.ScoreField].ToDouble()));
        }

        var keywordRanking = new List<(BsonDocument Document, double Score)>();
        var searchString = MongoPipelines.TextSearchString(keywords);
        if (searchString.Length > 0 && vectorRanking.Count > 0)
        {
            var userFilter = options.Filter is null ? [] : Filter(options.Filter);
            var expiry = _expires ? MongoPipelines.NotExpired(MongoNames.ExpiryField, now) : null;
            var projection = MongoPipelines.Projection(_vectorFields, includeVectors, dropScore: false);
            var keywordPipeline = _options.KeywordSearchMode == MongoKeywordSearchMode.SearchIndex
                ? MongoPipelines.SearchIndexSearch(_options.SearchIndexName, textProperty.StorageName, keywords, MongoPipelines.And(userFilter, expiry), candidates, projection)
                : MongoPipelines.TextSearch(keywords, MongoPipelines.And(userFilter, expiry), candidates, projection);
            await foreach (var document in AggregateAsync("HybridSearch", keywordPipeline, cancellationToken).ConfigureAwait(false))
            {
                keywordRanking.Add((document, document[MongoNames.ScoreField].ToDouble()));
            }
        }

        // The score threshold applies to the vector score: a record the vector ranking dropped is not found by keywords alone.
        var allowed = vectorRanking.Select(r => r.Document["_id"]).ToHashSet();
        keywordRanking.RemoveAll(r => !allowed.Contains(r.Document["_id"]));

        var fused = MongoHybridFusion.Fuse(
            vectorRanking.Select(r => (r.Document["_id"], r.Score)).ToList(),
            keywordRanking.Select(r => (r.Document["_id"], r.Score)).ToList(),
            _options.HybridVectorWeight,
            _options.HybridKeywordWeight);
        var documents = vectorRanking.Concat(keywordRanking).GroupBy(r => r.Document["_id"]).ToDictionary(g => g.Key, g => g.First().Document);
        foreach (var (id, score) in fused.Skip(options.Skip).Take(top))
        {
            yield return new VectorSearchResult<TRecord>(Materialize(documents[id], includeVectors), score);
        }
    }

    private bool IsExpired(BsonDocument document)
        => _expires && document.TryGetValue(MongoNames.ExpiryField, out var expiry) && expiry.IsValidDateTime && expiry.ToUniversalTime() <= DateTime.UtcNow;

    /// <summary>Validates every record and brings it to a document before anything is sent; the last record of a repeated key wins.</summary>
    private async Task<(List<BsonDocument> Documents, List<(TRecord Record, object Key)> GeneratedKeys)> PrepareAsync(
        IReadOnlyList<TRecord> records, CancellationToken cancellationToken)
    {
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is null)
            {
                throw new ArgumentException($"The record at index {i} is null.", nameof(records));
            }
        }

        var generatedKeys = new List<(TRecord, object)>();
        if (records.Count == 0)
        {
            return ([], generatedKeys);
        }

        var generated = new Embedding?[]?[_model.VectorProperties.Count];
        for (var v = 0; v < _model.VectorProperties.Count; v++)
        {
            var property = _model.VectorProperties[v];
            if (!MongoValues.IsVectorType(property.Type))
            {
                generated[v] = await VectorStoreRecords.GenerateEmbeddingsAsync(property, records, cancellationToken).ConfigureAwait(false);
            }
        }

        var now = DateTime.UtcNow;
        var byKey = new Dictionary<BsonValue, BsonDocument>();
        var order = new List<BsonValue>();
        for (var i = 0; i < records.Count; i++)
        {
            var document = ToDocument(records[i], i, generated, now, out var key);
            if (_model.KeyProperty.IsAutoGenerated && IsEmptyKey(key))
            {
                var newKey = NewKey();
                document["_id"] = KeyToBson(newKey);
                generatedKeys.Add((records[i], newKey));
            }

            var id = document["_id"];
            if (!byKey.ContainsKey(id))
            {
                order.Add(id);
            }

            byKey[id] = document;
        }

        return (order.Select(id => byKey[id]).ToList(), generatedKeys);
    }

    private static bool IsEmptyKey(object key) => key is Guid guid ? guid == Guid.Empty : key is ObjectId id && id == ObjectId.Empty;

    private object NewKey() => _model.KeyProperty.Type == typeof(ObjectId) ? ObjectId.GenerateNewId() : Guid.CreateVersion7();

    private async Task BulkWriteAsync(string operation, List<WriteModel<BsonDocument>> requests, IReadOnlyList<object> keys, CancellationToken cancellationToken)
    {
        try
        {
            await _collection.BulkWriteAsync(requests, new BulkWriteOptions { IsOrdered = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoBulkWriteException<BsonDocument> e)
        {
            throw MongoErrors.BatchFailure(e, keys, operation.ToLowerInvariant(), Name);
        }
        catch (Exception e) when (e is MongoException or TimeoutException)
        {
            throw MongoErrors.Wrap(e, operation, Name);
        }
    }

    private BsonDocument Filter(Expression<Func<TRecord, bool>> filter) => Filter((LambdaExpression)filter);

    private BsonDocument Visible(BsonDocument filter)
        => _expires ? MongoPipelines.And(filter, MongoPipelines.NotExpired(MongoNames.ExpiryField, DateTime.UtcNow)) : filter;

    private BsonDocument Sort(FilteredRecordRetrievalOptions<TRecord> options)
    {
        var sort = new BsonDocument();
        foreach (var ordering in options.OrderBy?.Invoke(new()).Values ?? [])
        {
            var property = _model.GetDataOrKeyProperty(ordering.PropertySelector);
            if (property is VectorPropertyModel)
            {
                throw new NotSupportedException($"Property '{property.ModelName}' cannot be used to order results.");
            }

            sort[FieldOf(property)] = ordering.Ascending ? 1 : -1;
        }

        // Ties (and unordered pages) by key, so Skip pages through the same order every time.
        if (!sort.Contains("_id"))
        {
            sort["_id"] = 1;
        }

        return sort;
    }

    private static string FieldOf(PropertyModel property) => property is KeyPropertyModel ? "_id" : property.StorageName;

    private FindOptions<BsonDocument> FindOptions(bool includeVectors, int? limit = null) => new()
    {
        Projection = MongoPipelines.Projection(_vectorFields, includeVectors, dropScore: false),
        Limit = limit,
    };

    private BsonValue KeyToBson(object key)
        => _model.KeyProperty.Type.IsInstanceOfType(key)
            ? MongoValues.ToBson(key)
            : throw new ArgumentException($"The key is a '{key.GetType().Name}'; the collection's key is a '{_model.KeyProperty.Type.Name}'.", nameof(key));

    private object KeyFromBson(BsonValue value) => MongoValues.FromBson(value, _model.KeyProperty.Type)!;

    private List<BsonValue> KeyValues(IEnumerable<TKey> keys)
    {
        var values = new List<BsonValue>();
        var i = 0;
        foreach (var key in keys)
        {
            values.Add(KeyToBson(key ?? throw new ArgumentException($"The key at index {i} is null.", nameof(keys))));
            i++;
        }

        return values;
    }

    private bool CheckIncludeVectors(bool includeVectors)
        => includeVectors && _model.EmbeddingGenerationRequired
            ? throw new NotSupportedException(VectorDataStrings.IncludeVectorsNotSupportedWithEmbeddingGeneration)
            : includeVectors;

    private IAsyncEnumerable<BsonDocument> FindAsync(string operation, BsonDocument filter, FindOptions<BsonDocument> options, CancellationToken cancellationToken)
        => MongoErrors.StreamAsync(ReadCursorAsync(() => _collection.FindAsync(filter, options, cancellationToken), cancellationToken), operation, Name, cancellationToken);

    private IAsyncEnumerable<BsonDocument> AggregateAsync(string operation, List<BsonDocument> pipeline, CancellationToken cancellationToken)
        => MongoErrors.StreamAsync(
            ReadCursorAsync(() => _collection.AggregateAsync(PipelineDefinition<BsonDocument, BsonDocument>.Create(pipeline), cancellationToken: cancellationToken), cancellationToken),
            operation,
            Name,
            cancellationToken);

    private static async IAsyncEnumerable<BsonDocument> ReadCursorAsync(Func<Task<IAsyncCursor<BsonDocument>>> open, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var cursor = await open().ConfigureAwait(false);
        while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var document in cursor.Current)
            {
                yield return document;
            }
        }
    }

    private Task<T> RunAsync<T>(string operation, Func<Task<T>> action) => MongoErrors.RunAsync(operation, Name, action);
}
