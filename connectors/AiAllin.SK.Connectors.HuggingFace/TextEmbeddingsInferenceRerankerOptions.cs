using System.Text;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// Settings of <see cref="TextEmbeddingsInferenceReranker"/>, the client of a text-embeddings-inference server's
/// <c>POST /rerank</c> (a server started with a cross-encoder such as <c>BAAI/bge-reranker-base</c>). Bind from the
/// <c>AiAllin:TextEmbeddingsInferenceReranker</c> section; unset values come from <c>TEI_RERANK_URL</c> (endpoint)
/// and <c>TEI_API_KEY</c> (bearer key).
/// </summary>
public sealed class TextEmbeddingsInferenceRerankerOptions : TextEmbeddingsInferenceServerOptions
{
    /// <summary>The configuration section bound by default.</summary>
    public const string DefaultSectionName = "AiAllin:TextEmbeddingsInferenceReranker";

    /// <summary>
    /// Gets or sets whether scores are the model's raw logits (<c>raw_scores</c>) instead of the server's default
    /// sigmoid-scaled values between 0 and 1. The order is the same either way.
    /// </summary>
    public bool RawScores { get; set; }

    /// <inheritdoc />
    protected override IReadOnlyList<string> EndpointEnvironmentVariables => ["TEI_RERANK_URL"];

    /// <inheritdoc />
    protected override void AppendMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.AppendMembers(builder);
        if (RawScores)
        {
            builder.Append(", RawScores = true");
        }
    }
}
