using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel.Data;

// SK's plugin helpers (CreateWithSearch, CreateWithGetTextSearchResults) take only the non-generic ITextSearch, which
// SK marks obsolete in favour of ITextSearch<TRecord>; the adapter implements both, as VectorStoreTextSearch does.
#pragma warning disable CS0618

namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// Semantic Kernel's <see cref="ITextSearch"/> over a <see cref="SemanticMemory"/>, so memories work with SK's RAG
/// patterns: <c>textSearch.CreateWithSearch("SearchPlugin")</c> for <c>{{SearchPlugin.Search $query}}</c> in prompt
/// templates, <c>CreateWithGetTextSearchResults</c> for function calling. The scope comes from the application's
/// <see cref="IMemoryScopeProvider"/>; every value is a delimited, escaped memory block with its provenance (see
/// <see cref="MemoryPromptFormatter"/>), never bare text.
/// </summary>
/// <remarks>
/// With <see cref="ITextSearch{TRecord}"/> a LINQ filter over <see cref="MemoryRecord"/> narrows the search (always
/// within the scope). With the legacy <see cref="ITextSearch"/>, <see cref="TextSearchFilter"/> equality clauses on
/// <c>source</c> filter by source and any other field name by the metadata entry of that name.
/// </remarks>
public sealed class MemoryTextSearch : ITextSearch, ITextSearch<MemoryRecord>
{
    /// <summary>The filter field name that selects a memory's source.</summary>
    public const string SourceField = "source";

    private readonly SemanticMemory _memory;
    private readonly IMemoryScopeProvider _scopes;
    private readonly MemorySearchMode _mode;

    /// <summary>Initializes a new instance of the <see cref="MemoryTextSearch"/> class.</summary>
    /// <param name="memory">The memory searched.</param>
    /// <param name="scopes">Supplies the scope of each search; <see langword="null"/> reads <see cref="MemoryScope.Current"/>.</param>
    /// <param name="mode">The ranking. Defaults to <see cref="MemorySearchMode.Vector"/>.</param>
    public MemoryTextSearch(SemanticMemory memory, IMemoryScopeProvider? scopes = null, MemorySearchMode mode = MemorySearchMode.Vector)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        _scopes = scopes ?? AmbientMemoryScopeProvider.Instance;
        _mode = mode;
    }

    /// <inheritdoc />
    public async Task<KernelSearchResults<string>> SearchAsync(string query, TextSearchOptions? searchOptions = null, CancellationToken cancellationToken = default)
    {
        var results = await SearchCoreAsync(query, searchOptions, cancellationToken).ConfigureAwait(false);
        return Strings(results);
    }

    /// <inheritdoc />
    public async Task<KernelSearchResults<string>> SearchAsync(string query, TextSearchOptions<MemoryRecord>? searchOptions = null, CancellationToken cancellationToken = default)
    {
        var results = await SearchCoreAsync(query, searchOptions, cancellationToken).ConfigureAwait(false);
        return Strings(results);
    }

    /// <inheritdoc />
    public async Task<KernelSearchResults<TextSearchResult>> GetTextSearchResultsAsync(
        string query, TextSearchOptions<MemoryRecord>? searchOptions = null, CancellationToken cancellationToken = default)
    {
        var results = await SearchCoreAsync(query, searchOptions, cancellationToken).ConfigureAwait(false);
        return TextResults(results);
    }

    /// <inheritdoc />
    /// <remarks>The records carry the text as read (neutralised when the read policy says so), not the embedding.</remarks>
    public async Task<KernelSearchResults<MemoryRecord>> GetSearchResultsAsync(
        string query, TextSearchOptions<MemoryRecord>? searchOptions = null, CancellationToken cancellationToken = default)
    {
        var results = await SearchCoreAsync(query, searchOptions, cancellationToken).ConfigureAwait(false);
        return new KernelSearchResults<MemoryRecord>(Stream(results.Select(r => ToRecord(r.Memory))));
    }

    /// <inheritdoc />
    public async Task<KernelSearchResults<TextSearchResult>> GetTextSearchResultsAsync(
        string query, TextSearchOptions? searchOptions = null, CancellationToken cancellationToken = default)
    {
        var results = await SearchCoreAsync(query, searchOptions, cancellationToken).ConfigureAwait(false);
        return TextResults(results);
    }

    /// <inheritdoc />
    public async Task<KernelSearchResults<object>> GetSearchResultsAsync(
        string query, TextSearchOptions? searchOptions = null, CancellationToken cancellationToken = default)
    {
        var results = await SearchCoreAsync(query, searchOptions, cancellationToken).ConfigureAwait(false);
        return new KernelSearchResults<object>(Stream<object>(results));
    }

    private Task<IReadOnlyList<MemorySearchResult>> SearchCoreAsync(string query, TextSearchOptions<MemoryRecord>? searchOptions, CancellationToken cancellationToken)
    {
        searchOptions ??= new TextSearchOptions<MemoryRecord>();
        var options = new MemorySearchOptions { Top = Math.Clamp(searchOptions.Top + Math.Max(0, searchOptions.Skip), 1, 1000), Mode = _mode, Filter = searchOptions.Filter };
        return RunAsync(query, options, searchOptions.Skip, cancellationToken);
    }

    private Task<IReadOnlyList<MemorySearchResult>> SearchCoreAsync(string query, TextSearchOptions? searchOptions, CancellationToken cancellationToken)
    {
        searchOptions ??= new TextSearchOptions();
        var options = new MemorySearchOptions { Top = Math.Clamp(searchOptions.Top + Math.Max(0, searchOptions.Skip), 1, 1000), Mode = _mode };
        foreach (var clause in searchOptions.Filter?.FilterClauses ?? [])
        {
            if (clause is not EqualToFilterClause equal)
            {
                throw new NotSupportedException($"Memory text search supports equality filters only, not {clause.GetType().Name}.");
            }

            var value = equal.Value?.ToString() ?? string.Empty;
            if (string.Equals(equal.FieldName, SourceField, StringComparison.OrdinalIgnoreCase))
            {
                options.Source = value;
            }
            else
            {
                options.Metadata[equal.FieldName] = value;
            }
        }

        return RunAsync(query, options, searchOptions.Skip, cancellationToken);
    }

    private async Task<IReadOnlyList<MemorySearchResult>> RunAsync(string query, MemorySearchOptions options, int skip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var scope = _scopes.GetScope() ?? throw new InvalidOperationException(
            "No memory scope is set for this search. The application must set one (MemoryScope.Begin or a registered IMemoryScopeProvider).");
        var results = await _memory.SearchAsync(scope, query, options, cancellationToken).ConfigureAwait(false);
        return [.. results.Skip(Math.Max(0, skip))];
    }

    private static KernelSearchResults<string> Strings(IReadOnlyList<MemorySearchResult> results) =>
        new(Stream(results.Select(Format)));

    private static KernelSearchResults<TextSearchResult> TextResults(IReadOnlyList<MemorySearchResult> results) =>
        new(Stream(results.Select(r => new TextSearchResult(Format(r)) { Name = r.Memory.Source, Link = "memory:" + r.Memory.Id })));

    private static MemoryRecord ToRecord(MemoryEntry memory) => new()
    {
        Key = memory.Id,
        Text = memory.Text,
        ScopeKey = memory.Scope.Key,
        Tenant = memory.Scope.Tenant,
        User = memory.Scope.User ?? string.Empty,
        Session = memory.Scope.Session ?? string.Empty,
        Source = memory.Source,
        Trusted = memory.Trust == MemoryTrust.Trusted,
        Metadata = [.. memory.Metadata.Select(m => MemoryMetadata.Entry(m.Key, m.Value))],
        Flags = [.. memory.Flags],
        CreatedAt = memory.CreatedAt,
        ExpiresAt = memory.ExpiresAt,
        DocumentId = memory.DocumentId,
        ChunkIndex = memory.ChunkIndex,
        ChunkOffset = memory.ChunkOffset,
    };

    private static string Format(MemorySearchResult result) => MemoryPromptFormatter.Format([result]);

    // The search has completed when results are handed out; the stream only replays them.
    private static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
