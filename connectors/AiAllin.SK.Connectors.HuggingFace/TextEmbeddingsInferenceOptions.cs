using System.Globalization;
using System.Text;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// Settings of <see cref="TextEmbeddingsInferenceGenerator"/>, the client of a text-embeddings-inference server's
/// <c>POST /embed</c>. Bind from the <c>AiAllin:TextEmbeddingsInference</c> section; unset values come from
/// <c>TEI_URL</c> (endpoint) and <c>TEI_API_KEY</c> (bearer key).
/// </summary>
public sealed class TextEmbeddingsInferenceOptions : TextEmbeddingsInferenceServerOptions
{
    /// <summary>The configuration section bound by default.</summary>
    public const string DefaultSectionName = "AiAllin:TextEmbeddingsInference";

    /// <summary>Gets or sets whether vectors come back scaled to unit length (<c>normalize</c>); <see langword="null"/> leaves the server's default (true).</summary>
    public bool? Normalize { get; set; }

    /// <summary>
    /// Gets or sets the name of a prompt from the model's sentence-transformers configuration (<c>prompt_name</c>, for
    /// example <c>query</c>) whose text the server puts before every input; <see langword="null"/> applies none.
    /// </summary>
    public string? PromptName { get; set; }

    /// <summary>
    /// Gets or sets the default vector size (<c>dimensions</c>, TEI 1.8 and later, for Matryoshka models); a call's
    /// <c>EmbeddingGenerationOptions.Dimensions</c> wins. <see langword="null"/> keeps the model's full size.
    /// </summary>
    public int? Dimensions { get; set; }

    /// <inheritdoc />
    protected override IReadOnlyList<string> EndpointEnvironmentVariables => ["TEI_URL"];

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        base.AddValidationErrors(sectionName, errors);
        if (Dimensions is <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:Dimensions must be positive (was {Dimensions})."));
        }

        if (PromptName is not null && string.IsNullOrWhiteSpace(PromptName))
        {
            errors.Add($"{sectionName}:PromptName must name a prompt of the model (for example query) or be left unset.");
        }
    }

    /// <inheritdoc />
    protected override void AppendMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.AppendMembers(builder);
        if (Normalize is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", Normalize = {Normalize}");
        }

        if (PromptName is not null)
        {
            builder.Append(", PromptName = ").Append(PromptName);
        }

        if (Dimensions is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", Dimensions = {Dimensions}");
        }
    }
}
