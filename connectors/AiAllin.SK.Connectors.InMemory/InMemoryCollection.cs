using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// A collection of records held in process memory, searched exactly with SIMD kernels over contiguous vector storage.
/// Records are stored as copies: changing an object after upserting it, or an object returned by a read, changes nothing stored.
/// Safe for concurrent readers and writers.
/// </summary>
/// <typeparam name="TKey">The key type: <see cref="string"/>, <see cref="Guid"/>, <see cref="int"/> or <see cref="long"/>.</typeparam>
/// <typeparam name="TRecord">The record type.</typeparam>
#pragma warning disable CA1711 // The name mirrors MEVD's own collection types.
public class InMemoryCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>, IKeywordHybridSearchable<TRecord>
#pragma warning restore CA1711
    where TKey : notnull
    where TRecord : class
{
    private const double RrfK = 60;
    private const double Bm25K1 = 1.2;
    private const double Bm25B = 0.75;

    private readonly ConcurrentDictionary<string, InMemoryCollectionData> _collections;
    private readonly CollectionModel _model;
    private readonly VectorStoreCollectionMetadata _metadata;
    private readonly Dictionary<PropertyModel, int> _dataPropertyIndex = [];
    private readonly RecordAccessors<TRecord>? _accessors;
    private Binding? _binding;

    /// <summary>Initializes a new standalone collection, with its own storage.</summary>
    /// <param name="name">The collection name.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    public InMemoryCollection(string name, InMemoryCollectionOptions? options = null)
        : this(InMemoryVectorStore.NewStorage(), name, BuildTypedModel, options)
    {
    }

    internal InMemoryCollection(
        ConcurrentDictionary<string, InMemoryCollectionData> collections,
        string name,
        Func<InMemoryCollectionOptions, CollectionModel> modelFactory,
        InMemoryCollectionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(collections);
        CollectionNames.Validate(name, nameof(name));

        _collections = collections;
        Name = name;
        _model = modelFactory(options ?? new InMemoryCollectionOptions());

        foreach (var vectorProperty in _model.VectorProperties)
        {
            var distanceFunction = DistanceFunctionOf(vectorProperty);
            if (InMemoryModelBuilder.IsBitVector(vectorProperty))
            {
                if (!VectorScorer.IsSupportedForBits(distanceFunction))
                {
                    throw new NotSupportedException(
                        $"Bit vector property '{vectorProperty.ModelName}' uses distance function '{distanceFunction}'; the in-memory vector store " +
                        $"searches bit vectors by {DistanceFunction.HammingDistance}, {InMemoryDistanceFunction.JaccardSimilarity} or {InMemoryDistanceFunction.JaccardDistance}.");
                }
            }
            else if (!VectorScorer.IsSupported(distanceFunction))
            {
                throw new NotSupportedException(
                    $"Vector property '{vectorProperty.ModelName}' uses distance function '{distanceFunction}', which the in-memory vector store does not support.");
            }

            if (vectorProperty.Dimensions <= 0)
            {
                throw new ArgumentException($"Vector property '{vectorProperty.ModelName}' must declare a positive number of dimensions.", nameof(options));
            }
        }

        for (var i = 0; i < _model.DataProperties.Count; i++)
        {
            _dataPropertyIndex[_model.DataProperties[i]] = i;
        }

        _accessors = RecordAccessors<TRecord>.TryCreate(_model);
        _metadata = new() { VectorStoreSystemName = InMemoryVectorStore.SystemName, CollectionName = name };
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default)
        => Task.FromResult(_collections.ContainsKey(Name));

    /// <inheritdoc />
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        var data = _collections.GetOrAdd(Name, static (_, model) => CreateData(model), _model);
        GetBinding(data);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        _collections.TryRemove(Name, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var includeVectors = CheckIncludeVectors(options?.IncludeVectors ?? false);

        var binding = GetBinding(GetData("Get"));
        var data = binding.Data;
        data.Lock.EnterReadLock();
        try
        {
            return Task.FromResult(data.TryGetSlot(key, out var slot) ? Materialize(binding, slot, includeVectors) : null);
        }
        finally
        {
            data.Lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<TRecord> GetAsync(
        IEnumerable<TKey> keys, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var includeVectors = CheckIncludeVectors(options?.IncludeVectors ?? false);

        return Deferred(() =>
        {
            var keyList = ToKeyList(keys);
            var binding = GetBinding(GetData("Get"));
            var data = binding.Data;
            var records = new List<TRecord>(keyList.Count);
            data.Lock.EnterReadLock();
            try
            {
                foreach (var key in keyList)
                {
                    if (data.TryGetSlot(key, out var slot))
                    {
                        records.Add(Materialize(binding, slot, includeVectors));
                    }
                }
            }
            finally
            {
                data.Lock.ExitReadLock();
            }

            return records;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<TRecord> GetAsync(
        Expression<Func<TRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options));
        var includeVectors = CheckIncludeVectors(options.IncludeVectors);
        var orderBy = options.OrderBy?.Invoke(new()).Values
            .Select(sort => (Property: _model.GetDataOrKeyProperty(sort.PropertySelector), sort.Ascending))
            .ToList();
        var skip = options.Skip;

        return Deferred(() =>
        {
            var binding = GetBinding(GetData("Get"));
            var data = binding.Data;
            data.Lock.EnterReadLock();
            try
            {
                var predicate = TranslateFilter(binding, filter);
                var slots = new List<int>();
                for (var slot = 0; slot < data.HighWater; slot++)
                {
                    if (data.IsOccupied(slot) && predicate(slot))
                    {
                        slots.Add(slot);
                    }
                }

                if (orderBy is { Count: > 0 })
                {
                    var columns = orderBy.Select(o => (Column: ColumnOf(binding, o.Property), o.Ascending)).ToList();
                    slots.Sort((a, b) =>
                    {
                        foreach (var (column, ascending) in columns)
                        {
                            var order = Comparer<object>.Default.Compare(column[a], column[b]);
                            if (order != 0)
                            {
                                return ascending ? order : -order;
                            }
                        }

                        return a.CompareTo(b);
                    });
                }

                return slots.Skip(skip).Take(top).Select(slot => Materialize(binding, slot, includeVectors)).ToList();
            }
            finally
            {
                data.Lock.ExitReadLock();
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return DeleteAsync([key], cancellationToken);
    }

    /// <inheritdoc />
    public override Task DeleteAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var keyList = ToKeyList(keys);
        var data = GetData("Delete");
        if (keyList.Count == 0)
        {
            return Task.CompletedTask;
        }

        data.Lock.EnterWriteLock();
        try
        {
            foreach (var key in keyList)
            {
                data.Delete(key);
            }
        }
        finally
        {
            data.Lock.ExitWriteLock();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <inheritdoc />
    public override async Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);

        var list = records as IReadOnlyList<TRecord> ?? [.. records];
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"The record at index {i} is null.", nameof(records));
            }
        }

        var binding = GetBinding(GetData("Upsert"));
        if (list.Count == 0)
        {
            return;
        }

        // Embeddings are generated before the lock is taken: the lock is never held across an await.
        var generated = new Embedding?[_model.VectorProperties.Count][];
        for (var v = 0; v < _model.VectorProperties.Count; v++)
        {
            var property = _model.VectorProperties[v];
            if (!InMemoryModelBuilder.IsNativeVectorType(property.Type))
            {
                generated[v] = await VectorStoreRecords.GenerateEmbeddingsAsync(property, list, cancellationToken).ConfigureAwait(false);
            }
        }

        var prepared = new PreparedBatch(list.Count, binding.Data.DataColumns.Count, binding.Data.Vectors.Length);
        var generatedKeys = new List<(TRecord Record, Guid Key)>();
        for (var i = 0; i < list.Count; i++)
        {
            Prepare(binding, list[i], i, generated, generatedKeys, prepared);
        }

        var data = binding.Data;
        if (!_collections.TryGetValue(Name, out var current) || !ReferenceEquals(current, data))
        {
            throw CreateException("Upsert", $"The collection '{Name}' was deleted while the upsert was being prepared.");
        }

        data.Lock.EnterWriteLock();
        try
        {
            data.Write(prepared);
        }
        finally
        {
            data.Lock.ExitWriteLock();
        }

        foreach (var (record, key) in generatedKeys)
        {
            _model.KeyProperty.SetValue(record, key);
        }
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options));
        var includeVectors = CheckIncludeVectors(options.IncludeVectors);
        var vectorProperty = _model.GetVectorPropertyOrSingle(options);

        return SearchCoreAsync(searchValue, top, options, includeVectors, vectorProperty, cancellationToken);
    }

    /// <summary>
    /// Searches by vector and keywords: the rank by vector score and the BM25 rank of the keywords over the full-text
    /// indexed property are fused by reciprocal rank. Records matching no keyword keep their vector rank. The returned
    /// score is the fused score; <see cref="HybridSearchOptions{TRecord}.ScoreThreshold"/> applies to the vector score.
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
        var terms = keywords.SelectMany(k => TextColumn.Tokenize(k ?? string.Empty)).Distinct(StringComparer.Ordinal).ToList();

        return HybridSearchCoreAsync(searchValue, terms, top, options, includeVectors, vectorProperty, textProperty, cancellationToken);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);

        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreCollectionMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    internal static CollectionModel BuildTypedModel(InMemoryCollectionOptions options)
        => typeof(TRecord) == typeof(Dictionary<string, object?>)
            ? throw new NotSupportedException(VectorDataStrings.NonDynamicCollectionWithDictionaryNotSupported(typeof(InMemoryDynamicCollection)))
            : new InMemoryModelBuilder().Build(typeof(TRecord), typeof(TKey), options.Definition, options.EmbeddingGenerator);

    private static InMemoryCollectionData CreateData(CollectionModel model)
    {
        // The source of a generated embedding (e.g. the text) is not stored: like every MEVD provider, the store
        // keeps the embedding only, so such a property reads back as its default.
        var dataColumns = model.DataProperties
            .Select(p => new DataColumnSpec(p.StorageName, p.Type, p.IsFullTextIndexed))
            .ToList();
        var vectorColumns = model.VectorProperties
            .Select(p => InMemoryModelBuilder.IsBitVector(p) ? (VectorColumn)new BitVectorColumn(p.StorageName, p.Dimensions) : new FloatVectorColumn(p.StorageName, p.Dimensions))
            .ToList();

        return new InMemoryCollectionData(model.KeyProperty.Type, dataColumns, vectorColumns);
    }

    /// <summary>Runs <paramref name="read"/> when enumeration starts, so that reads see the data as of enumeration, as with other providers.</summary>
    private static async IAsyncEnumerable<T> Deferred<T>(Func<List<T>> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var item in read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
    }

    private static List<object> ToKeyList(IEnumerable<TKey> keys)
    {
        var list = new List<object>();
        foreach (var key in keys)
        {
            list.Add(key ?? throw new ArgumentException("The keys contain a null key.", nameof(keys)));
        }

        return list;
    }

    private static object? CopyValue(object? value) => value switch
    {
        null or string => value,
        Array array => array.Clone(),
        List<string> list => new List<string>(list),
        System.Collections.IList list when value.GetType().IsGenericType => Activator.CreateInstance(value.GetType(), list),
        _ => value,
    };

    private async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchCoreAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<TRecord> options, bool includeVectors, VectorPropertyModel vectorProperty,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = await VectorValues.GetQueryVectorAsync(searchValue, vectorProperty, cancellationToken).ConfigureAwait(false);
        var distanceFunction = DistanceFunctionOf(vectorProperty);
        var binding = GetBinding(GetData("Search"));
        var data = binding.Data;

        List<VectorSearchResult<TRecord>> results;
        data.Lock.EnterReadLock();
        try
        {
            var filter = options.Filter is null ? null : TranslateFilter(binding, options.Filter);
            var column = data.Vectors[binding.VectorColumnOf[VectorIndex(vectorProperty)]];
            var count = (int)Math.Min((long)top + options.Skip, Math.Max(1, data.Count));
            var best = VectorScorer.TopK(column, data.HighWater, query, distanceFunction, filter, options.ScoreThreshold, count);
            results = best.Skip(options.Skip)
                .Select(r => new VectorSearchResult<TRecord>(Materialize(binding, r.Slot, includeVectors), r.Score))
                .ToList();
        }
        finally
        {
            data.Lock.ExitReadLock();
        }

        foreach (var result in results)
        {
            yield return result;
        }
    }

    private async IAsyncEnumerable<VectorSearchResult<TRecord>> HybridSearchCoreAsync<TInput>(
        TInput searchValue, List<string> terms, int top, HybridSearchOptions<TRecord> options, bool includeVectors,
        VectorPropertyModel vectorProperty, DataPropertyModel textProperty, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = await VectorValues.GetQueryVectorAsync(searchValue, vectorProperty, cancellationToken).ConfigureAwait(false);
        var distanceFunction = DistanceFunctionOf(vectorProperty);
        var higherIsBetter = VectorScorer.HigherIsBetter(distanceFunction);
        var binding = GetBinding(GetData("HybridSearch"));
        var data = binding.Data;

        List<VectorSearchResult<TRecord>> results;
        data.Lock.EnterReadLock();
        try
        {
            var filter = options.Filter is null ? null : TranslateFilter(binding, options.Filter);
            var column = data.Vectors[binding.VectorColumnOf[VectorIndex(vectorProperty)]];
            var text = data.Text[binding.DataColumnOf[_dataPropertyIndex[textProperty]]]
                ?? throw CreateException("HybridSearch", $"Property '{textProperty.ModelName}' is not full-text indexed in the stored collection.");

            var candidates = VectorScorer.ScoreAll(column, data.HighWater, query, distanceFunction, filter, options.ScoreThreshold);
            var vectorRanks = Ranks(candidates.Select(c => higherIsBetter ? (double)c.Score : -c.Score).ToList());
            var keywordScores = Bm25(text, candidates, terms);
            var keywordRanks = Ranks(keywordScores);

            var fused = new List<(int Index, double Score)>(candidates.Count);
            for (var i = 0; i < candidates.Count; i++)
            {
                var score = 1 / (RrfK + vectorRanks[i]);
                if (keywordScores[i] > 0)
                {
                    score += 1 / (RrfK + keywordRanks[i]);
                }

                fused.Add((i, score));
            }

            fused.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : vectorRanks[a.Index].CompareTo(vectorRanks[b.Index]));
            results = fused.Skip(options.Skip).Take(top)
                .Select(f => new VectorSearchResult<TRecord>(Materialize(binding, candidates[f.Index].Slot, includeVectors), f.Score))
                .ToList();
        }
        finally
        {
            data.Lock.ExitReadLock();
        }

        foreach (var result in results)
        {
            yield return result;
        }
    }

    /// <summary>BM25 of each candidate for the terms; the document frequencies count the candidates only.</summary>
    private static List<double> Bm25(TextColumn text, List<(int Slot, float Score)> candidates, List<string> terms)
    {
        var scores = new List<double>(new double[candidates.Count]);
        if (terms.Count == 0 || candidates.Count == 0)
        {
            return scores;
        }

        var averageLength = Math.Max(text.AverageLength, 1);
        foreach (var term in terms)
        {
            var documentFrequency = candidates.Count(c => text.TermFrequency(c.Slot, term) > 0);
            if (documentFrequency == 0)
            {
                continue;
            }

            var idf = Math.Log(1 + ((candidates.Count - documentFrequency + 0.5) / (documentFrequency + 0.5)));
            for (var i = 0; i < candidates.Count; i++)
            {
                var frequency = text.TermFrequency(candidates[i].Slot, term);
                if (frequency > 0)
                {
                    var length = text.Length(candidates[i].Slot);
                    scores[i] += idf * frequency * (Bm25K1 + 1) / (frequency + (Bm25K1 * (1 - Bm25B + (Bm25B * length / averageLength))));
                }
            }
        }

        return scores;
    }

    /// <summary>Competition ranks (1, 2, 2, 4...) of the scores, higher scores first; equal scores share a rank.</summary>
    private static int[] Ranks(List<double> scores)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var ranks = new int[scores.Count];
        for (var position = 0; position < order.Length; position++)
        {
            var index = order[position];
            ranks[index] = position > 0 && scores[order[position - 1]] == scores[index] ? ranks[order[position - 1]] : position + 1;
        }

        return ranks;
    }

    /// <summary>Validates record <paramref name="index"/> of the batch and lays it out in <paramref name="batch"/>.</summary>
    private void Prepare(
        Binding binding, TRecord record, int index, Embedding?[][] generated, List<(TRecord Record, Guid Key)> generatedKeys, PreparedBatch batch)
    {
        var accessors = _accessors;
        var keyProperty = _model.KeyProperty;
        var key = (accessors is null ? VectorStoreRecords.ReadValue(keyProperty, record, $"at index {index}") : accessors.ReadKey(record))
            ?? throw new ArgumentException($"The record at index {index} has a null key '{keyProperty.ModelName}'.");
        if (keyProperty.IsAutoGenerated && key is Guid guid && guid == Guid.Empty)
        {
            var newKey = Guid.NewGuid();
            generatedKeys.Add((record, newKey));
            key = newKey;
        }
        else if (accessors is null && !keyProperty.Type.IsInstanceOfType(key))
        {
            throw new ArgumentException(
                $"Key property '{keyProperty.ModelName}' of the record at index {index} holds a '{key.GetType().Name}'; the collection expects '{keyProperty.Type.Name}'.");
        }

        batch.Keys[index] = key;
        var data = binding.Data;
        var values = index * data.DataColumns.Count;
        for (var d = 0; d < _model.DataProperties.Count; d++)
        {
            var property = _model.DataProperties[d];
            var value = accessors is null ? CheckedValue(property, ReadValue(property, record, key), key) : accessors.ReadData(d, record);
            batch.Values[values + binding.DataColumnOf[d]] = CopyValue(value);
        }

        var vectors = index * data.Vectors.Length;
        for (var v = 0; v < _model.VectorProperties.Count; v++)
        {
            var property = _model.VectorProperties[v];
            PreparedVector prepared;
            if (binding.IsGenerated[v])
            {
                prepared = VectorValues.Prepare(generated[v][index], property, key);
            }
            else if (accessors is not null && accessors.TryReadFloatVector(v, record, out var read))
            {
                prepared = read is { } memory ? VectorValues.PrepareFloats(memory, property, key) : default;
            }
            else
            {
                prepared = VectorValues.Prepare(accessors is null ? ReadValue(property, record, key) : accessors.ReadVector(v, record), property, key);
            }

            batch.Vectors[vectors + binding.VectorColumnOf[v]] = prepared;
        }
    }

    private static object? ReadValue(PropertyModel property, TRecord record, object key)
        => VectorStoreRecords.ReadValue(property, record, $"with key '{key}'");

    private static object? CheckedValue(DataPropertyModel property, object? value, object key)
    {
        var type = Nullable.GetUnderlyingType(property.Type) ?? property.Type;
        if (value is not null && !type.IsInstanceOfType(value))
        {
            throw new ArgumentException(
                $"Data property '{property.ModelName}' of the record with key '{key}' holds a '{value.GetType().Name}'; the collection expects '{property.Type.Name}'.");
        }

        return value;
    }

    private TRecord Materialize(Binding binding, int slot, bool includeVectors)
    {
        var data = binding.Data;
        var record = _model.CreateRecord<TRecord>()!;
        _model.KeyProperty.SetValueAsObject(record, data.Keys[slot]);

        for (var d = 0; d < _model.DataProperties.Count; d++)
        {
            var property = _model.DataProperties[d];
            var value = data.Columns[binding.DataColumnOf[d]][slot];
            if (value is not null || !property.Type.IsValueType || Nullable.GetUnderlyingType(property.Type) is not null)
            {
                property.SetValueAsObject(record, CopyValue(value));
            }
        }

        for (var v = 0; v < _model.VectorProperties.Count; v++)
        {
            var property = _model.VectorProperties[v];
            var column = data.Vectors[binding.VectorColumnOf[v]];
            if (binding.IsGenerated[v] || !includeVectors || !column.IsPresent(slot))
            {
                continue;
            }

            property.SetValueAsObject(record, VectorValues.Read(column, slot, property.Type));
        }

        return record;
    }

    private static string DistanceFunctionOf(VectorPropertyModel property)
        => property.DistanceFunction
            ?? (InMemoryModelBuilder.IsBitVector(property) ? DistanceFunction.HammingDistance : VectorScorer.DefaultDistanceFunction);

    private Func<int, bool> TranslateFilter(Binding binding, LambdaExpression filter)
        => new InMemoryFilterTranslator(property => ColumnOf(binding, property)).Translate(filter, _model);

    private object?[] ColumnOf(Binding binding, PropertyModel property)
        => property switch
        {
            KeyPropertyModel => binding.Data.Keys,
            DataPropertyModel data => binding.Data.Columns[binding.DataColumnOf[_dataPropertyIndex[data]]],
            _ => throw new NotSupportedException($"Vector property '{property.ModelName}' cannot be used in a filter or an ordering."),
        };

    private int VectorIndex(VectorPropertyModel property)
    {
        for (var i = 0; i < _model.VectorProperties.Count; i++)
        {
            if (ReferenceEquals(_model.VectorProperties[i], property))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Vector property '{property.ModelName}' is not part of the model.");
    }

    private bool CheckIncludeVectors(bool includeVectors)
        => includeVectors && _model.EmbeddingGenerationRequired
            ? throw new NotSupportedException(VectorDataStrings.IncludeVectorsNotSupportedWithEmbeddingGeneration)
            : includeVectors;

    private InMemoryCollectionData GetData(string operation)
        => _collections.TryGetValue(Name, out var data)
            ? data
            : throw CreateException(operation, $"The collection '{Name}' does not exist; call EnsureCollectionExistsAsync first.");

    private VectorStoreException CreateException(string operation, string message)
        => new(message) { VectorStoreSystemName = InMemoryVectorStore.SystemName, CollectionName = Name, OperationName = operation };

    /// <summary>Maps this collection's model onto stored data, which another collection object with the same name may have created.</summary>
    private Binding GetBinding(InMemoryCollectionData data)
    {
        if (_binding is { } cached && ReferenceEquals(cached.Data, data))
        {
            return cached;
        }

        if (data.KeyType != _model.KeyProperty.Type)
        {
            throw SchemaMismatch($"its key is a '{data.KeyType.Name}', not a '{_model.KeyProperty.Type.Name}'");
        }

        var dataColumnOf = _model.DataProperties
            .Select(p => FindColumn(data, p.StorageName, p.Type))
            .ToArray();
        var vectorColumnOf = new int[_model.VectorProperties.Count];
        var isGenerated = new bool[_model.VectorProperties.Count];
        for (var v = 0; v < _model.VectorProperties.Count; v++)
        {
            var property = _model.VectorProperties[v];
            var isBits = InMemoryModelBuilder.IsBitVector(property);
            vectorColumnOf[v] = Array.FindIndex(
                data.Vectors, c => c.StorageName == property.StorageName && c.Dimensions == property.Dimensions && (c is BitVectorColumn) == isBits);
            if (vectorColumnOf[v] < 0)
            {
                throw SchemaMismatch($"it has no {(isBits ? "bit " : string.Empty)}vector property '{property.StorageName}' of {property.Dimensions} dimensions");
            }

            isGenerated[v] = !InMemoryModelBuilder.IsNativeVectorType(property.Type);
        }

        var binding = new Binding(data, dataColumnOf, vectorColumnOf, isGenerated);
        _binding = binding;
        return binding;

        int FindColumn(InMemoryCollectionData data, string storageName, Type type)
        {
            for (var c = 0; c < data.DataColumns.Count; c++)
            {
                var column = data.DataColumns[c];
                if (column.StorageName == storageName)
                {
                    return column.Type == type ? c : throw SchemaMismatch($"its property '{storageName}' is a '{column.Type.Name}', not a '{type.Name}'");
                }
            }

            throw SchemaMismatch($"it has no property '{storageName}'");
        }

        VectorStoreException SchemaMismatch(string reason)
            => CreateException("Bind", $"The collection '{Name}' exists with another schema: {reason}.");
    }

    private sealed record Binding(InMemoryCollectionData Data, int[] DataColumnOf, int[] VectorColumnOf, bool[] IsGenerated);
}
