using System.Globalization;
using System.Text;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Settings for OpenAI (and, through <see cref="GroqOptions"/> and <see cref="OpenAICompatibleOptions"/>, for Groq and
/// any server that speaks the OpenAI Chat Completions API). Bind from the <c>AiAllin:OpenAI</c> section; unset values
/// come from <c>OPENAI_API_KEY</c>, <c>OPENAI_MODEL</c> and <c>OPENAI_BASE_URL</c>.
/// </summary>
public class OpenAIOptions : ProviderOptions
{
    /// <summary>The configuration section the registration methods read by default.</summary>
    public const string DefaultSectionName = "AiAllin:OpenAI";

    /// <summary>The embedding model used when <see cref="EmbeddingModel"/> is not set.</summary>
    public const string DefaultEmbeddingModel = "text-embedding-3-small";

    /// <summary>Gets or sets the organization id sent as <c>OpenAI-Organization</c>, for keys that belong to several organizations.</summary>
    public string? Organization { get; set; }

    /// <summary>Gets or sets the project id sent as <c>OpenAI-Project</c>.</summary>
    public string? Project { get; set; }

    /// <summary>
    /// Gets or sets the embedding model, for example <c>text-embedding-3-large</c>; <see langword="null"/> uses
    /// <c>OPENAI_EMBEDDING_MODEL</c> or <see cref="DefaultEmbeddingModel"/>. <see cref="ProviderOptions.Model"/> stays the chat model.
    /// </summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>
    /// Gets or sets the default number of embedding dimensions (the API's <c>dimensions</c>, supported by
    /// <c>text-embedding-3-*</c>); <see langword="null"/> returns the model's full size.
    /// </summary>
    public int? EmbeddingDimensions { get; set; }

    /// <summary>Gets the name used in exceptions and logs.</summary>
    public virtual string ProviderName => "OpenAI";

    /// <summary>Gets the endpoint used when <see cref="ProviderOptions.Endpoint"/> is not set.</summary>
    public virtual Uri DefaultEndpoint => new("https://api.openai.com/v1");

    /// <summary>Gets the endpoint requests go to: <see cref="ProviderOptions.Endpoint"/> or <see cref="DefaultEndpoint"/>.</summary>
    public Uri EffectiveEndpoint => Endpoint ?? DefaultEndpoint;

    /// <summary>Gets the embedding model requests use.</summary>
    public string EffectiveEmbeddingModel => string.IsNullOrWhiteSpace(EmbeddingModel) ? DefaultEmbeddingModel : EmbeddingModel;

    /// <summary>Gets the environment variables that may hold the embedding model.</summary>
    protected virtual IReadOnlyList<string> EmbeddingModelEnvironmentVariables => ["OPENAI_EMBEDDING_MODEL"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> ApiKeyEnvironmentVariables => ["OPENAI_API_KEY"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["OPENAI_MODEL"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> EndpointEnvironmentVariables => ["OPENAI_BASE_URL"];

    /// <inheritdoc />
    protected override bool RequiresModel => !_forEmbeddings;

    // Set only on the private copy Validate(string, bool) checks, so the caller's options are never changed.
    private bool _forEmbeddings;

    /// <summary>Checks the settings for a chat client or an embedding generator (whose model is <see cref="EffectiveEmbeddingModel"/>) and throws one exception listing every problem.</summary>
    /// <param name="sectionName">The configuration section the options came from.</param>
    /// <param name="forEmbeddings">Whether the options configure an embedding generator, which needs no chat <see cref="ProviderOptions.Model"/>.</param>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it (never the key).</exception>
    public void Validate(string sectionName, bool forEmbeddings)
    {
        var view = (OpenAIOptions)MemberwiseClone();
        view._forEmbeddings = forEmbeddings;
        view.Validate(sectionName);
    }

    /// <inheritdoc />
    public override void ApplyEnvironmentDefaults(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        base.ApplyEnvironmentDefaults(getVariable);
        if (string.IsNullOrWhiteSpace(EmbeddingModel))
        {
            EmbeddingModel = EmbeddingModelEnvironmentVariables.Select(getVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
        }
    }

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (EmbeddingDimensions is <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:EmbeddingDimensions must be positive (was {EmbeddingDimensions})."));
        }
    }

    /// <inheritdoc />
    protected override void AppendMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Organization is not null)
        {
            builder.Append(", Organization = ").Append(Organization);
        }

        if (Project is not null)
        {
            builder.Append(", Project = ").Append(Project);
        }

        if (EmbeddingModel is not null)
        {
            builder.Append(", EmbeddingModel = ").Append(EmbeddingModel);
        }

        if (EmbeddingDimensions is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", EmbeddingDimensions = {EmbeddingDimensions}");
        }
    }
}
