namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>How the keyword half of a hybrid search is answered.</summary>
public enum MongoKeywordSearchMode
{
    /// <summary>A text index over the full-text indexed properties and <c>$text</c> (any MongoDB deployment).</summary>
    TextIndex,

    /// <summary>A MongoDB Search index and the <c>$search</c> stage (Atlas, or a deployment with <c>mongot</c>).</summary>
    SearchIndex,
}
