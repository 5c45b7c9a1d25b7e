using System.Text;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// Settings of the Cohere clients: the shared <see cref="ProviderOptions"/> plus Cohere's citation and safety modes.
/// The key is sent as a bearer token and never appears in logs, messages or <see cref="ProviderOptions.ToString"/>.
/// </summary>
/// <remarks>
/// Environment defaults: <c>COHERE_API_KEY</c> then <c>CO_API_KEY</c> (the key; the second is the name Cohere's own SDKs
/// read), <c>COHERE_MODEL</c> (model) and <c>CO_API_URL</c> (endpoint). Without an endpoint,
/// <c>https://api.cohere.com/</c> is used.
/// </remarks>
public class CohereOptions : ProviderOptions
{
    /// <summary>The configuration section bound by default.</summary>
    public const string DefaultSectionName = "AiAllin:Cohere";

    /// <summary>The address of Cohere's public API.</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.cohere.com/");

    /// <summary>
    /// Gets or sets how citations are generated when documents or tool results are given (<c>citation_options.mode</c>);
    /// <see langword="null"/> leaves Cohere's default.
    /// </summary>
    public CohereCitationMode? CitationMode { get; set; }

    /// <summary>Gets or sets the safety instruction Cohere adds to the prompt (<c>safety_mode</c>); <see langword="null"/> leaves Cohere's default.</summary>
    public CohereSafetyMode? SafetyMode { get; set; }

    /// <summary>Gets the endpoint to use: <see cref="ProviderOptions.Endpoint"/> or <see cref="DefaultEndpoint"/>, with a trailing slash.</summary>
    public Uri EffectiveEndpoint
    {
        get
        {
            var endpoint = Endpoint ?? DefaultEndpoint;
            return endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        }
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> ApiKeyEnvironmentVariables => ["COHERE_API_KEY", "CO_API_KEY"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["COHERE_MODEL"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> EndpointEnvironmentVariables => ["CO_API_URL"];

    /// <inheritdoc />
    protected override void AppendMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (CitationMode is { } citation)
        {
            builder.Append(", CitationMode = ").Append(citation);
        }

        if (SafetyMode is { } safety)
        {
            builder.Append(", SafetyMode = ").Append(safety);
        }
    }
}
