using System.Globalization;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// Settings of the Cohere reranker (<c>/v2/rerank</c>): the shared settings plus the per-document token limit and
/// batch size. The model comes from <c>COHERE_RERANK_MODEL</c>, then <c>COHERE_MODEL</c>.
/// </summary>
public sealed class CohereRerankOptions : CohereOptions
{
    /// <summary>The most documents Cohere recommends per <c>/v2/rerank</c> call.</summary>
    public const int MaxBatchSize = 1000;

    /// <summary>Gets or sets the tokens of each document the model reads (<c>max_tokens_per_doc</c>); <see langword="null"/> leaves Cohere's default (4,096).</summary>
    public int? MaxTokensPerDoc { get; set; }

    /// <summary>Gets or sets how many documents go in one request, at most <see cref="MaxBatchSize"/>; more are sent in several calls and merged.</summary>
    public int BatchSize { get; set; } = MaxBatchSize;

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["COHERE_RERANK_MODEL", "COHERE_MODEL"];

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        base.AddValidationErrors(sectionName, errors);
        if (MaxTokensPerDoc is <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:MaxTokensPerDoc must be positive (was {MaxTokensPerDoc})."));
        }

        if (BatchSize is < 1 or > MaxBatchSize)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:BatchSize must be between 1 and {MaxBatchSize} (was {BatchSize})."));
        }
    }
}
