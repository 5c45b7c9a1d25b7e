using System.Globalization;
using System.Text;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// The settings a text-embeddings-inference (TEI) client shares, whether it embeds or reranks: the server's address
/// (required; TEI has no public default), the bearer key when the server was started with <c>--api-key</c> or sits
/// behind a Hugging Face Inference Endpoint, and how texts are split into calls and truncated.
/// </summary>
/// <remarks>
/// TEI serves one model per server, so <see cref="ProviderOptions.Model"/> is optional and only names the model in
/// metadata and on every embedding; with <see cref="ReadServerInfo"/> it is read from <c>GET /info</c> when unset.
/// Plain <c>http://</c> is accepted for loopback only unless <see cref="ProviderOptions.AllowInsecureHttp"/> is set.
/// </remarks>
public abstract class TextEmbeddingsInferenceServerOptions : ProviderOptions
{
    /// <summary>TEI's own default for <c>--max-client-batch-size</c>: the most texts one request may carry.</summary>
    public const int DefaultMaxBatchSize = 32;

    /// <summary>
    /// Gets or sets how many texts one request carries at most; longer lists are split into several requests. Keep it
    /// at or below the server's <c>--max-client-batch-size</c> (32 unless the server was started with another), or
    /// turn on <see cref="ReadServerInfo"/> to take the server's value.
    /// </summary>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>
    /// Gets or sets whether <c>GET /info</c> is read once, on first use, so that the server's
    /// <c>max_client_batch_size</c> caps <see cref="MaxBatchSize"/> and its <c>model_id</c> fills an unset
    /// <see cref="ProviderOptions.Model"/>. Off by default: it costs one extra request.
    /// </summary>
    public bool ReadServerInfo { get; set; }

    /// <summary>
    /// Gets or sets whether an input longer than the model's maximum is cut (<c>truncate</c>) instead of failing with
    /// HTTP 422. <see langword="null"/> leaves the server's default (its <c>--auto-truncate</c> flag).
    /// </summary>
    public bool? Truncate { get; set; }

    /// <summary>Gets or sets which end of a too-long input is cut (<c>truncation_direction</c>); <see langword="null"/> leaves the server's default (the right).</summary>
    public TextTruncationDirection? TruncationDirection { get; set; }

    /// <inheritdoc />
    protected override bool RequiresApiKey => false;

    /// <inheritdoc />
    protected override bool RequiresModel => false;

    /// <inheritdoc />
    protected override IReadOnlyList<string> ApiKeyEnvironmentVariables => ["TEI_API_KEY"];

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Endpoint is null)
        {
            var variables = EndpointEnvironmentVariables;
            errors.Add($"{sectionName}:Endpoint is required (the TEI server's address, for example http://localhost:8080/{(variables.Count == 0 ? string.Empty : "; or set " + string.Join(" or ", variables))}).");
        }

        if (MaxBatchSize <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:MaxBatchSize must be positive (was {MaxBatchSize})."));
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
        if (ReadServerInfo)
        {
            builder.Append(", ReadServerInfo = true");
        }

        if (Truncate is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", Truncate = {Truncate}");
        }

        if (TruncationDirection is not null)
        {
            builder.Append(", TruncationDirection = ").Append(TruncationDirection.ToString());
        }
    }
}
