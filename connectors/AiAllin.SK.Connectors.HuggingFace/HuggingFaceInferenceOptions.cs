using System.Globalization;
using System.Text;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// Settings of <see cref="HuggingFaceInferenceEmbeddingGenerator"/>, the client of the Hugging Face Inference API's
/// feature-extraction task (<c>POST {Endpoint}models/{Model}/pipeline/feature-extraction</c>, by default on
/// <c>https://router.huggingface.co/hf-inference/</c>). Bind from the <c>AiAllin:HuggingFace</c> section; unset values
/// come from <c>HF_TOKEN</c> or <c>HUGGINGFACE_API_KEY</c> (key), <c>HF_EMBEDDING_MODEL</c> (model) and
/// <c>HF_INFERENCE_ENDPOINT</c> (endpoint).
/// </summary>
public sealed class HuggingFaceInferenceOptions : ProviderOptions
{
    /// <summary>The configuration section bound by default.</summary>
    public const string DefaultSectionName = "AiAllin:HuggingFace";

    /// <summary>The base address of Hugging Face's own inference provider behind the router.</summary>
    public static readonly Uri DefaultEndpoint = new("https://router.huggingface.co/hf-inference/");

    /// <summary>Gets or sets how many texts one request carries at most; longer lists are split into several requests.</summary>
    public int MaxBatchSize { get; set; } = TextEmbeddingsInferenceServerOptions.DefaultMaxBatchSize;

    /// <summary>
    /// Gets or sets whether a cold model is waited for (<c>options.wait_for_model</c> and the <c>x-wait-for-model</c>
    /// header) instead of answering 503 with an <c>estimated_time</c>. Off by default: the 503's estimate becomes
    /// <see cref="ProviderException.RetryAfter"/>, waited for when within <see cref="ProviderOptions.MaxRetryDelay"/>.
    /// </summary>
    public bool WaitForModel { get; set; }

    /// <summary>
    /// Gets or sets whether a model that answers with one vector per token (a model without a pooling layer) has those
    /// vectors mean-pooled into one per text, as sentence-transformers' mean pooling does, then scaled to unit length
    /// unless <see cref="Normalize"/> is <see langword="false"/>. On by default; when off, such an answer is an error.
    /// </summary>
    public bool PoolTokenEmbeddings { get; set; } = true;

    /// <summary>Gets or sets whether vectors come back scaled to unit length (<c>normalize</c>); <see langword="null"/> leaves the server's default.</summary>
    public bool? Normalize { get; set; }

    /// <summary>Gets or sets whether a too-long input is cut (<c>truncate</c>) rather than refused; <see langword="null"/> leaves the server's default.</summary>
    public bool? Truncate { get; set; }

    /// <summary>Gets or sets which end of a too-long input is cut (<c>truncation_direction</c>); <see langword="null"/> leaves the server's default.</summary>
    public TextTruncationDirection? TruncationDirection { get; set; }

    /// <summary>Gets or sets the name of a prompt from the model's sentence-transformers configuration (<c>prompt_name</c>) put before every input.</summary>
    public string? PromptName { get; set; }

    /// <summary>Gets the endpoint requests go to: <see cref="ProviderOptions.Endpoint"/> or <see cref="DefaultEndpoint"/>.</summary>
    public Uri EffectiveEndpoint => Endpoint ?? DefaultEndpoint;

    /// <inheritdoc />
    protected override IReadOnlyList<string> ApiKeyEnvironmentVariables => ["HF_TOKEN", "HUGGINGFACE_API_KEY"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["HF_EMBEDDING_MODEL"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> EndpointEnvironmentVariables => ["HF_INFERENCE_ENDPOINT"];

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (MaxBatchSize <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:MaxBatchSize must be positive (was {MaxBatchSize})."));
        }

        if (Model is { } model && (model.Contains("..", StringComparison.Ordinal) || model.StartsWith('/') || model.Contains('?', StringComparison.Ordinal) || model.Contains('#', StringComparison.Ordinal)))
        {
            errors.Add($"{sectionName}:Model must be a Hub model id such as sentence-transformers/all-MiniLM-L6-v2.");
        }

        if (TruncationDirection is { } direction && !Enum.IsDefined(direction))
        {
            errors.Add($"{sectionName}:TruncationDirection must be Left or Right.");
        }
    }

    /// <inheritdoc />
    protected override void AppendMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append(CultureInfo.InvariantCulture, $", MaxBatchSize = {MaxBatchSize}");
        if (WaitForModel)
        {
            builder.Append(", WaitForModel = true");
        }

        if (!PoolTokenEmbeddings)
        {
            builder.Append(", PoolTokenEmbeddings = false");
        }

        if (Normalize is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", Normalize = {Normalize}");
        }
    }
}
