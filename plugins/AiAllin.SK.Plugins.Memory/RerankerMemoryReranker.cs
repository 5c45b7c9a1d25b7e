using AiAllin.SK.Connectors.Core.Reranking;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// Lets any provider <see cref="IReranker"/> (Cohere rerank, text-embeddings-inference, ...) reorder memory search
/// results: the memories' texts are scored against the query and come back best first with the reranker's score in
/// <see cref="MemorySearchResult.Score"/>.
/// </summary>
/// <remarks>
/// Set it as <see cref="SemanticMemoryOptions.Reranker"/>, or register an <see cref="IReranker"/> in the service
/// container before <c>AddSemanticMemory</c>/<c>AddMemoryPlugin</c>, which then wraps it in this class. Memories the
/// reranker leaves out (when <see cref="RerankOptions.TopN"/> is set) are dropped.
/// </remarks>
public sealed class RerankerMemoryReranker : IMemoryReranker
{
    private readonly IReranker _reranker;
    private readonly RerankOptions? _options;

    /// <summary>Creates the adapter.</summary>
    /// <param name="reranker">The reranker; not disposed by this adapter.</param>
    /// <param name="options">Options for every call (model, top N, truncation); <see langword="null"/> uses the reranker's defaults.</param>
    public RerankerMemoryReranker(IReranker reranker, RerankOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reranker);
        _reranker = reranker;
        _options = options;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemorySearchResult>> RerankAsync(string query, IReadOnlyList<MemorySearchResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return results;
        }

        var texts = new string[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            texts[i] = results[i].Memory.Text;
        }

        var ranked = await _reranker.RerankAsync(query, texts, _options, cancellationToken).ConfigureAwait(false);
        var reordered = new List<MemorySearchResult>(ranked.Count);
        var seen = new bool[results.Count];
        foreach (var result in ranked)
        {
            if (result.Index < 0 || result.Index >= results.Count || seen[result.Index])
            {
                throw new InvalidOperationException($"The reranker returned index {result.Index}, which is not one of the {results.Count} memories it was given (or was returned twice).");
            }

            seen[result.Index] = true;
            reordered.Add(results[result.Index] with { Score = result.Score });
        }

        return reordered;
    }
}
