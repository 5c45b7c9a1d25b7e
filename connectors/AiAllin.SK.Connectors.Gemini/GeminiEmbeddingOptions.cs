using System.Globalization;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// Settings of the Gemini embedding generator (<c>embedContent</c> / <c>batchEmbedContents</c>): the shared settings
/// plus the task type and the vector size. The model comes from <c>GEMINI_EMBEDDING_MODEL</c> when not set.
/// </summary>
/// <remarks>Embeddings use the Gemini API; Vertex AI's embedding endpoint (<c>:predict</c>) has another shape and is not served here.</remarks>
public sealed class GeminiEmbeddingOptions : GeminiOptions
{
    /// <summary>
    /// Gets or sets the default task type (<c>taskType</c>): <c>RETRIEVAL_DOCUMENT</c>, <c>RETRIEVAL_QUERY</c>,
    /// <c>SEMANTIC_SIMILARITY</c>, <c>CLASSIFICATION</c>, <c>CLUSTERING</c>, <c>QUESTION_ANSWERING</c>,
    /// <c>FACT_VERIFICATION</c> or <c>CODE_RETRIEVAL_QUERY</c>; a call's <c>AdditionalProperties["taskType"]</c> wins.
    /// <see langword="null"/> leaves the model's default.
    /// </summary>
    public string? TaskType { get; set; }

    /// <summary>Gets or sets the default vector size (<c>outputDimensionality</c>); <see langword="null"/> keeps the model's own.</summary>
    public int? Dimensions { get; set; }

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["GEMINI_EMBEDDING_MODEL"];

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        base.AddValidationErrors(sectionName, errors);
        if (Dimensions is <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:Dimensions must be positive (was {Dimensions})."));
        }

        if (UsesVertexAI)
        {
            errors.Add($"{sectionName}:VertexProject is not supported for embeddings; Vertex AI embeds through :predict, which this generator does not speak. Use the Gemini API (an API key).");
        }

        if (TaskType is not null && (TaskType.Length == 0 || !TaskType.All(c => char.IsAsciiLetterUpper(c) || c == '_')))
        {
            errors.Add($"{sectionName}:TaskType must be one of the API's task types such as RETRIEVAL_DOCUMENT (upper case).");
        }
    }
}
