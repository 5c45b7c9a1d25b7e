namespace AiAllin.SK.Plugins.Memory;

/// <summary>Reorders search results, for example with a cross-encoder or a provider's rerank endpoint.</summary>
public interface IMemoryReranker
{
    /// <summary>Returns <paramref name="results"/> in a better order, optionally with new scores; may drop results.</summary>
    /// <param name="query">The query text.</param>
    /// <param name="results">The results of the store search, best first.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The reranked results.</returns>
    Task<IReadOnlyList<MemorySearchResult>> RerankAsync(string query, IReadOnlyList<MemorySearchResult> results, CancellationToken cancellationToken);
}
