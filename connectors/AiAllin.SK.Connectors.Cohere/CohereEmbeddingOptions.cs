using System.Globalization;
using System.Text;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// Settings of the Cohere embedding generators (<c>/v2/embed</c>): the shared settings plus the input type, vector
/// size, truncation and batch size. The model comes from <c>COHERE_EMBEDDING_MODEL</c>, then <c>COHERE_MODEL</c>.
/// </summary>
public sealed class CohereEmbeddingOptions : CohereOptions
{
    /// <summary>The most texts Cohere's <c>/v2/embed</c> takes in one call.</summary>
    public const int MaxBatchSize = 96;

    /// <summary>
    /// Gets or sets what the texts are for by default (<c>input_type</c>); a call overrides it with
    /// <c>EmbeddingGenerationOptions.AdditionalProperties["input_type"]</c>.
    /// </summary>
    public CohereEmbeddingInputType InputType { get; set; } = CohereEmbeddingInputType.SearchDocument;

    /// <summary>Gets or sets the vector size (<c>output_dimension</c>, embed-v4 and later); <see langword="null"/> keeps the model's own.</summary>
    public int? Dimensions { get; set; }

    /// <summary>Gets or sets what happens to a text longer than the model takes; <see langword="null"/> leaves Cohere's default (cut the end).</summary>
    public CohereTruncation? Truncate { get; set; }

    /// <summary>Gets or sets how many texts go in one request, at most <see cref="MaxBatchSize"/>.</summary>
    public int BatchSize { get; set; } = MaxBatchSize;

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["COHERE_EMBEDDING_MODEL", "COHERE_MODEL"];

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        base.AddValidationErrors(sectionName, errors);
        if (Dimensions is <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:Dimensions must be positive (was {Dimensions})."));
        }

        if (BatchSize is < 1 or > MaxBatchSize)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:BatchSize must be between 1 and {MaxBatchSize} (was {BatchSize})."));
        }
    }

    /// <inheritdoc />
    protected override void AppendMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.AppendMembers(builder);
        builder.Append(", InputType = ").Append(InputType);
        if (Dimensions is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", Dimensions = {Dimensions}");
        }
    }
}
