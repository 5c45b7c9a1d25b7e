namespace AiAllin.SK.Connectors.Core.Reranking;

/// <summary>
/// Scores documents by their relevance to a query with a reranking model (a cross-encoder or a provider's rerank
/// endpoint), so a first-stage vector or keyword search can be reordered by a more precise model.
/// </summary>
/// <remarks>
/// Implementations send the documents in as many calls as the service's per-call limit requires and return one
/// result per scored document, best first, each naming the document by its index in the input list.
/// </remarks>
public interface IReranker
{
    /// <summary>Scores <paramref name="documents"/> against <paramref name="query"/>.</summary>
    /// <param name="query">The query text.</param>
    /// <param name="documents">The documents to score, in the caller's order.</param>
    /// <param name="options">Options for this call; <see langword="null"/> uses the reranker's defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The results, best first; at most <see cref="RerankOptions.TopN"/> when it is set.</returns>
    Task<IReadOnlyList<RerankResult>> RerankAsync(
        string query,
        IReadOnlyList<string> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default);
}
