namespace AiAllin.SK.Connectors.Core.Reranking;

/// <summary>The relevance of one document to the query.</summary>
/// <param name="Index">The document's 0-based index in the list given to <see cref="IReranker.RerankAsync"/>.</param>
/// <param name="Score">The relevance score the model gave; higher is more relevant. Scales differ between models.</param>
public readonly record struct RerankResult(int Index, double Score);
