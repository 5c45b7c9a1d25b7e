using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// Long-term semantic memory on any <c>Microsoft.Extensions.VectorData</c> <see cref="VectorStore"/>: remember texts
/// (chunked, de-duplicated, scanned for injected instructions), search them by vector, keyword or hybrid ranking,
/// list and forget them. Every operation takes the <see cref="MemoryScope"/> set by the application and applies it
/// inside the store query, so scopes never see or delete each other's memories. Thread-safe.
/// </summary>
/// <remarks>The store and the generator belong to the caller; disposing the memory leaves them open.</remarks>
public sealed class SemanticMemory : IDisposable
{
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly SemanticMemoryOptions _options;
    private readonly MemoryCollectionBinding _binding;

    /// <summary>Initializes a new instance of the <see cref="SemanticMemory"/> class.</summary>
    /// <param name="store">The vector store that holds the memories.</param>
    /// <param name="generator">The embedding generator; its model and dimension are recorded with the collection.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range or the collection name is invalid.</exception>
    public SemanticMemory(VectorStore store, IEmbeddingGenerator<string, Embedding<float>> generator, SemanticMemoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        _options = options ?? new SemanticMemoryOptions();
        Validate(_options);
        _binding = new MemoryCollectionBinding(store, generator, _options);
    }

    /// <summary>Gets the options.</summary>
    public SemanticMemoryOptions Options => _options;

    /// <summary>Remembers <paramref name="text"/> in <paramref name="scope"/>; long texts are split into overlapping chunks.</summary>
    /// <param name="scope">The scope that will own the memory.</param>
    /// <param name="text">The text.</param>
    /// <param name="options">Source, trust, metadata, time to live; <see langword="null"/> for the defaults (untrusted, source <c>app</c>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored ids, whether they were added, updated or skipped, and the injection findings.</returns>
    /// <exception cref="ArgumentException">The text is empty or too long, or metadata is invalid; nothing is written.</exception>
    /// <exception cref="PromptInjectionException">The text was flagged and <see cref="SemanticMemoryOptions.WritePolicy"/> is <see cref="InjectionPolicy.Refuse"/>; nothing is written.</exception>
    /// <exception cref="EmbeddingModelMismatchException">The collection was written with another embedding model or dimension.</exception>
    public async Task<MemoryAddResult> AddAsync(MemoryScope scope, string text, MemoryAddOptions? options = null, CancellationToken cancellationToken = default)
    {
        var write = await PrepareAsync(scope, text, options, cancellationToken).ConfigureAwait(false);
        var chunks = TextChunker.Split(write.Text, _options.ChunkSize, _options.ChunkOverlap);
        var state = await _binding.GetAsync(cancellationToken).ConfigureAwait(false);
        var embeddings = await _generator.GenerateAsync(chunks.Select(c => c.Text), cancellationToken: cancellationToken).ConfigureAwait(false);
        var vectors = embeddings.Select(e => e.Vector).ToList();
        return await WriteAsync(state, scope, write, chunks, vectors, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Remembers <paramref name="text"/> with an embedding the caller computed (stored whole, never chunked).</summary>
    /// <param name="scope">The scope that will own the memory.</param>
    /// <param name="text">The text.</param>
    /// <param name="embedding">The text's embedding, from the same model as the memory's generator.</param>
    /// <param name="options">Source, trust, metadata, time to live.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored id, whether it was added, updated or skipped, and the injection findings.</returns>
    /// <exception cref="ArgumentException">The embedding's dimension differs from the collection's; nothing is written.</exception>
    public async Task<MemoryAddResult> AddAsync(
        MemoryScope scope, string text, ReadOnlyMemory<float> embedding, MemoryAddOptions? options = null, CancellationToken cancellationToken = default)
    {
        var write = await PrepareAsync(scope, text, options, cancellationToken).ConfigureAwait(false);
        var state = await _binding.GetAsync(cancellationToken).ConfigureAwait(false);
        CheckDimension(state, embedding, nameof(embedding));
        return await WriteAsync(state, scope, write, [(0, write.Text)], [embedding], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Searches <paramref name="scope"/>'s memories for <paramref name="query"/>.</summary>
    /// <param name="scope">The scope searched; no other scope's memory can be returned.</param>
    /// <param name="query">The query text.</param>
    /// <param name="options">Top-K, minimum score, mode, metadata filters; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The results, best first.</returns>
    /// <exception cref="NotSupportedException">Hybrid mode on a store without <see cref="IKeywordHybridSearchable{TRecord}"/>.</exception>
    public async Task<IReadOnlyList<MemorySearchResult>> SearchAsync(
        MemoryScope scope, string query, MemorySearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(query);
        options ??= new MemorySearchOptions();
        ValidateSearch(options);
        var bounded = query.Length > _options.MaxTextLength ? query[.._options.MaxTextLength] : query;
        var state = await _binding.GetAsync(cancellationToken).ConfigureAwait(false);
        var now = _options.TimeProvider.GetUtcNow();
        List<MemorySearchResult> results;
        if (options.Mode == MemorySearchMode.Keyword)
        {
            results = await KeywordSearchAsync(state, scope, now, bounded, options, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var vector = (await _generator.GenerateAsync([bounded], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
            results = options.Mode == MemorySearchMode.Hybrid
                ? await HybridSearchAsync(state, scope, now, vector, bounded, options, cancellationToken).ConfigureAwait(false)
                : await VectorSearchAsync(state, scope, now, vector, options, cancellationToken).ConfigureAwait(false);
        }

        if (options.Rerank && _options.Reranker is { } reranker && results.Count > 0)
        {
            var reranked = await reranker.RerankAsync(bounded, results, cancellationToken).ConfigureAwait(false);
            results = [.. reranked.Take(options.Top)];
        }

        return results;
    }

    /// <summary>Searches <paramref name="scope"/>'s memories by an embedding the caller computed (vector mode).</summary>
    /// <param name="scope">The scope searched.</param>
    /// <param name="vector">The query embedding.</param>
    /// <param name="options">Top-K, minimum score, metadata filters; the mode must be <see cref="MemorySearchMode.Vector"/>.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The results, best first.</returns>
    public async Task<IReadOnlyList<MemorySearchResult>> SearchAsync(
        MemoryScope scope, ReadOnlyMemory<float> vector, MemorySearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        options ??= new MemorySearchOptions();
        ValidateSearch(options);
        if (options.Mode != MemorySearchMode.Vector)
        {
            throw new ArgumentException("A search by vector ranks by vector only; keyword and hybrid modes need the query text.", nameof(options));
        }

        var state = await _binding.GetAsync(cancellationToken).ConfigureAwait(false);
        CheckDimension(state, vector, nameof(vector));
        return await VectorSearchAsync(state, scope, _options.TimeProvider.GetUtcNow(), vector, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets one memory of <paramref name="scope"/> by id.</summary>
    /// <param name="scope">The owning scope.</param>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The memory, or <see langword="null"/> when the scope has no (unexpired) memory with that id.</returns>
    public async Task<MemoryEntry?> GetAsync(MemoryScope scope, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!IsPlausibleId(id))
        {
            return null;
        }

        var state = await _binding.GetAsync(cancellationToken).ConfigureAwait(false);
        var filter = MemoryQueries.ById(scope, _options.TimeProvider.GetUtcNow(), id);
        await foreach (var record in state.Collection.GetAsync(filter, 16, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (record.Key == id && ToEntry(record) is { } entry)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>Lists <paramref name="scope"/>'s memories, newest first.</summary>
    /// <param name="scope">The owning scope.</param>
    /// <param name="top">The most memories returned.</param>
    /// <param name="skip">How many of the newest to skip.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The memories.</returns>
    public async IAsyncEnumerable<MemoryEntry> ListAsync(
        MemoryScope scope, int top = 50, int skip = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        var state = await _binding.GetAsync(cancellationToken).ConfigureAwait(false);
        var options = new FilteredRecordRetrievalOptions<MemoryRecord> { Skip = skip };
        options.OrderBy = o => o.Descending(r => r.CreatedAt);
        var filter = MemoryQueries.Visible(scope, _options.TimeProvider.GetUtcNow());
        await foreach (var record in state.Collection.GetAsync(filter, top, options, cancellationToken).ConfigureAwait(false))
        {
            if (ToEntry(record) is { } entry)
            {
                yield return entry;
            }
        }
    }

    /// <summary>
    /// Forgets the memory <paramref name="id"/> of <paramref name="scope"/> (or every chunk of the document with that
    /// id). An id of another scope deletes nothing.
    /// </summary>
    /// <param name="scope">The owning scope.</param>
    /// <param name="id">A memory id or a document id.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many records were deleted.</returns>
    public async Task<int> DeleteAsync(MemoryScope scope, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!IsPlausibleId(id))
        {
            return 0;
        }

        var state = await _binding.GetAsync(cancellationToken).ConfigureAwait(false);
        return await DeleteWhereAsync(state, MemoryQueries.OwnedById(scope, id), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets every memory of <paramref name="scope"/> (for example when a user asks to be forgotten).</summary>
    /// <param name="scope">The owning scope.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many records were deleted.</returns>
    public async Task<int> DeleteAllAsync(MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var state = await _binding.GetAsync(cancellationToken).ConfigureAwait(false);
        return await DeleteWhereAsync(state, MemoryQueries.Owned(scope), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves every memory to a collection for the current embedding generator, re-embedding each text, after the model
    /// or dimension changed. The old collection stays in use until all memories are copied, then it is deleted.
    /// </summary>
    /// <param name="cancellationToken">Cancels the migration (the old collection then stays in use).</param>
    /// <returns>How many memories were re-embedded; 0 when the collection already matches the generator.</returns>
    public Task<int> MigrateAsync(CancellationToken cancellationToken = default) => _binding.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _binding.Dispose();

    internal async Task<MemoryAddResult> WriteAsync(
        MemoryCollectionBinding.State state, MemoryScope scope, PreparedWrite write, List<(int Offset, string Text)> chunks,
        IReadOnlyList<ReadOnlyMemory<float>> vectors, CancellationToken cancellationToken)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var documentId = NewId();
        var records = new List<MemoryRecord>(chunks.Count);
        var ids = new List<string>(chunks.Count);
        var outcome = MemoryWriteOutcome.Added;
        for (var i = 0; i < chunks.Count; i++)
        {
            var record = new MemoryRecord
            {
                Key = NewId(),
                Text = chunks[i].Text,
                ScopeKey = scope.Key,
                Tenant = scope.Tenant,
                User = scope.User ?? string.Empty,
                Session = scope.Session ?? string.Empty,
                Source = write.Source,
                Trusted = write.Trust == MemoryTrust.Trusted,
                Metadata = write.Metadata,
                Terms = KeywordTerms.Extract(chunks[i].Text, KeywordTerms.MaxRecordTerms),
                Flags = write.Flags,
                CreatedAt = now,
                ExpiresAt = write.TimeToLive is { } ttl ? now + ttl : null,
                DocumentId = chunks.Count == 1 ? string.Empty : documentId,
                ChunkIndex = i,
                ChunkOffset = chunks[i].Offset,
                Embedding = vectors[i],
            };

            if (write.Duplicates != DuplicateHandling.Allow
                && await FindDuplicateAsync(state, scope, now, vectors[i], cancellationToken).ConfigureAwait(false) is { } existing)
            {
                if (write.Duplicates == DuplicateHandling.Skip)
                {
                    ids.Add(existing.Key);
                    outcome = i == 0 ? MemoryWriteOutcome.Skipped : outcome;
                    continue;
                }

                record.Key = existing.Key;
                record.CreatedAt = existing.CreatedAt;
                outcome = i == 0 ? MemoryWriteOutcome.Updated : outcome;
            }

            if (record.DocumentId.Length == 0)
            {
                record.DocumentId = record.Key;
            }

            records.Add(record);
            ids.Add(record.Key);
        }

        if (records.Count > 0)
        {
            await state.Collection.UpsertAsync(records, cancellationToken).ConfigureAwait(false);
        }

        return new MemoryAddResult(ids, outcome, write.Flags);
    }

    private async Task<PreparedWrite> PrepareAsync(MemoryScope scope, string text, MemoryAddOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(text);
        options ??= new MemoryAddOptions();
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("A memory's text must not be empty.", nameof(text));
        }

        if (text.Length > _options.MaxTextLength)
        {
            throw new ArgumentException($"The text is {text.Length} characters long; a memory takes at most {_options.MaxTextLength}.", nameof(text));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(options.Source, "options.Source");
        if (options.Source.Length > MemoryScope.MaxIdLength)
        {
            throw new ArgumentException($"The source is longer than {MemoryScope.MaxIdLength} characters.", nameof(options));
        }

        if (options.TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "A memory's time to live must be positive.");
        }

        var metadata = MemoryMetadata.ToEntries(options.Metadata, _options.MaxMetadataEntries, nameof(options));
        var scan = _options.Scanner.Scan(text);
        var flags = scan.Rules.ToList();
        if (_options.Classifier is { } classifier && await classifier.IsInjectionAsync(text, cancellationToken).ConfigureAwait(false))
        {
            flags.Add("classifier");
        }

        var stored = text;
        if (flags.Count > 0)
        {
            switch (_options.WritePolicy)
            {
                case InjectionPolicy.Refuse:
                    throw new PromptInjectionException(
                        $"The text was not stored: it looks like a prompt injection (rules: {string.Join(", ", flags)}).")
                    { Rules = flags };
                case InjectionPolicy.Neutralize when scan.IsSuspicious:
                    stored = PromptInjectionScanner.Neutralize(text, scan);
                    break;
            }
        }

        return new PreparedWrite(
            stored, options.Source, options.Trust, metadata, [.. flags], options.TimeToLive ?? _options.DefaultTimeToLive,
            options.Duplicates ?? _options.Duplicates);
    }

    private async Task<MemoryRecord?> FindDuplicateAsync(
        MemoryCollectionBinding.State state, MemoryScope scope, DateTimeOffset now, ReadOnlyMemory<float> vector, CancellationToken cancellationToken)
    {
        var options = new VectorSearchOptions<MemoryRecord> { Filter = MemoryQueries.Visible(scope, now) };
        await foreach (var hit in state.Collection.SearchAsync(vector, 1, options, cancellationToken).ConfigureAwait(false))
        {
            if (hit.Score >= _options.DuplicateThreshold)
            {
                return hit.Record;
            }
        }

        return null;
    }

    private async Task<List<MemorySearchResult>> VectorSearchAsync(
        MemoryCollectionBinding.State state, MemoryScope scope, DateTimeOffset now, ReadOnlyMemory<float> vector,
        MemorySearchOptions options, CancellationToken cancellationToken)
    {
        var search = new VectorSearchOptions<MemoryRecord> { Filter = MemoryQueries.Search(scope, now, options) };
        var results = new List<MemorySearchResult>(options.Top);
        await foreach (var hit in state.Collection.SearchAsync(vector, options.Top, search, cancellationToken).ConfigureAwait(false))
        {
            AddResult(results, hit.Record, hit.Score ?? 0, options);
        }

        return results;
    }

    private async Task<List<MemorySearchResult>> HybridSearchAsync(
        MemoryCollectionBinding.State state, MemoryScope scope, DateTimeOffset now, ReadOnlyMemory<float> vector, string query,
        MemorySearchOptions options, CancellationToken cancellationToken)
    {
        var hybrid = state.Collection as IKeywordHybridSearchable<MemoryRecord>
            ?? state.Collection.GetService(typeof(IKeywordHybridSearchable<MemoryRecord>)) as IKeywordHybridSearchable<MemoryRecord>
            ?? throw new NotSupportedException(
                $"The vector store's collection ({state.Collection.GetType().Name}) does not support hybrid search; use the vector or keyword mode.");
        var keywords = KeywordTerms.Extract(query, KeywordTerms.MaxQueryTerms);
        var search = new HybridSearchOptions<MemoryRecord> { Filter = MemoryQueries.Search(scope, now, options), AdditionalProperty = r => r.Text };
        var results = new List<MemorySearchResult>(options.Top);
        await foreach (var hit in hybrid.HybridSearchAsync(vector, keywords, options.Top, search, cancellationToken).ConfigureAwait(false))
        {
            AddResult(results, hit.Record, hit.Score ?? 0, options);
        }

        return results;
    }

    private async Task<List<MemorySearchResult>> KeywordSearchAsync(
        MemoryCollectionBinding.State state, MemoryScope scope, DateTimeOffset now, string query, MemorySearchOptions options,
        CancellationToken cancellationToken)
    {
        var terms = KeywordTerms.Extract(query, KeywordTerms.MaxQueryTerms);
        var results = new List<MemorySearchResult>();
        if (terms.Length == 0)
        {
            return results;
        }

        var filter = MemoryQueries.Keyword(scope, now, options, terms);
        var scored = new List<(MemoryRecord Record, double Score)>();
        await foreach (var record in state.Collection.GetAsync(filter, _options.KeywordCandidates, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var matched = terms.Count(t => Array.IndexOf(record.Terms, t) >= 0);
            scored.Add((record, (double)matched / terms.Length));
        }

        foreach (var (record, score) in scored.OrderByDescending(s => s.Score).ThenByDescending(s => s.Record.CreatedAt))
        {
            if (results.Count == options.Top)
            {
                break;
            }

            AddResult(results, record, score, options);
        }

        return results;
    }

    private void AddResult(List<MemorySearchResult> results, MemoryRecord record, double score, MemorySearchOptions options)
    {
        if (options.MinScore is { } min && score < min)
        {
            return;
        }

        if (ToEntry(record) is { } entry)
        {
            results.Add(new MemorySearchResult(entry, score));
        }
    }

    private static async Task<int> DeleteWhereAsync(
        MemoryCollectionBinding.State state, System.Linq.Expressions.Expression<Func<MemoryRecord, bool>> filter, CancellationToken cancellationToken)
    {
        var deleted = 0;
        while (true)
        {
            var keys = new List<string>();
            await foreach (var record in state.Collection.GetAsync(filter, 256, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                keys.Add(record.Key);
            }

            if (keys.Count == 0)
            {
                return deleted;
            }

            await state.Collection.DeleteAsync(keys, cancellationToken).ConfigureAwait(false);
            deleted += keys.Count;
        }
    }

    private MemoryEntry? ToEntry(MemoryRecord record)
    {
        var text = record.Text;
        var flags = record.Flags;
        var scan = _options.Scanner.Scan(text);
        if (scan.IsSuspicious)
        {
            switch (_options.ReadPolicy)
            {
                case InjectionPolicy.Refuse:
                    return null;
                case InjectionPolicy.Neutralize:
                    text = PromptInjectionScanner.Neutralize(text, scan);
                    break;
            }

            flags = [.. flags.Union(scan.Rules, StringComparer.Ordinal)];
        }

        return new MemoryEntry
        {
            Id = record.Key,
            Text = text,
            Scope = new MemoryScope(record.Tenant, NullIfEmpty(record.User), NullIfEmpty(record.Session)),
            Source = record.Source,
            Trust = record.Trusted ? MemoryTrust.Trusted : MemoryTrust.Untrusted,
            Metadata = MemoryMetadata.FromEntries(record.Metadata),
            Flags = flags,
            CreatedAt = record.CreatedAt,
            ExpiresAt = record.ExpiresAt,
            DocumentId = record.DocumentId,
            ChunkIndex = record.ChunkIndex,
            ChunkOffset = record.ChunkOffset,
        };
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static string NewId() => Guid.NewGuid().ToString("N");

    // Ids are 32 hex digits; anything else (another scope's guess, a filter-looking string, a huge input) cannot
    // name a memory, so it is answered without a store round trip.
    private static bool IsPlausibleId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length == 32 && !id.AsSpan().ContainsAnyExcept(LowerHex);
    }

    private static void CheckDimension(MemoryCollectionBinding.State state, ReadOnlyMemory<float> vector, string parameterName)
    {
        if (vector.Length != state.Dimensions)
        {
            throw new ArgumentException(
                $"The embedding has {vector.Length} dimensions; the memory collection holds {state.Dimensions}-dimensional embeddings of model '{state.ModelId}'.",
                parameterName);
        }
    }

    private static void ValidateSearch(MemorySearchOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Top, 1, "options.Top");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Top, 1000, "options.Top");
        foreach (var key in options.Metadata.Keys)
        {
            MemoryMetadata.ValidateKey(key, nameof(options));
        }
    }

    private static void Validate(SemanticMemoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Scanner, "options.Scanner");
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChunkSize, 100, "options.ChunkSize");
        ArgumentOutOfRangeException.ThrowIfNegative(options.ChunkOverlap, "options.ChunkOverlap");
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.ChunkOverlap, options.ChunkSize / 2, "options.ChunkOverlap");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTextLength, 1, "options.MaxTextLength");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.KeywordCandidates, 1, "options.KeywordCandidates");
        if (options.DuplicateThreshold is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException("options.DuplicateThreshold", "The duplicate threshold is a cosine similarity in (0, 1].");
        }
    }

    internal sealed record PreparedWrite(
        string Text, string Source, MemoryTrust Trust, string[] Metadata, string[] Flags, TimeSpan? TimeToLive, DuplicateHandling Duplicates);
}
