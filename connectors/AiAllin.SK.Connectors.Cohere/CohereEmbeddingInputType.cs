namespace AiAllin.SK.Connectors.Cohere;

/// <summary>What the embedded texts are for (<c>input_type</c>); Cohere's v3+ embedding models need it.</summary>
public enum CohereEmbeddingInputType
{
    /// <summary>Documents stored for search (<c>search_document</c>).</summary>
    SearchDocument,

    /// <summary>Queries searched with (<c>search_query</c>).</summary>
    SearchQuery,

    /// <summary>Texts fed to a classifier (<c>classification</c>).</summary>
    Classification,

    /// <summary>Texts to be clustered (<c>clustering</c>).</summary>
    Clustering,
}
