using System.Diagnostics;
using System.Text;
using System.Text.Json.Serialization;
using AiAllin.SK.Connectors.Core;
using Azure.Core;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Settings for an Azure OpenAI resource (or an Azure AI Foundry resource serving OpenAI models): the resource
/// endpoint, the deployment, the API version, and either an API key or an Entra ID <see cref="TokenCredential"/>.
/// </summary>
/// <remarks>
/// <para>
/// Bind it from the <c>AiAllin:AzureOpenAI</c> configuration section or fill it from the usual environment variables:
/// <c>AZURE_OPENAI_ENDPOINT</c>, <c>AZURE_OPENAI_API_KEY</c> (or <c>AZURE_OPENAI_KEY</c>),
/// <c>AZURE_OPENAI_DEPLOYMENT</c> (or <c>AZURE_OPENAI_DEPLOYMENT_NAME</c>, <c>AZURE_OPENAI_CHAT_DEPLOYMENT_NAME</c>),
/// <c>AZURE_OPENAI_EMBEDDING_DEPLOYMENT</c> (or <c>AZURE_OPENAI_EMBEDDING_DEPLOYMENT_NAME</c>) and
/// <c>AZURE_OPENAI_API_VERSION</c> (or <c>OPENAI_API_VERSION</c>).
/// </para>
/// <para>
/// Requests go to <c>{Endpoint}/openai/deployments/{Deployment}/chat/completions?api-version={ApiVersion}</c>, or,
/// with <see cref="ApiVersion"/> set to <c>v1</c>, to the version-less <c>{Endpoint}/openai/v1/chat/completions</c>
/// with the deployment named in the request body. A key is sent in the <c>api-key</c> header; a credential's token as
/// <c>Authorization: Bearer</c>, fetched for <see cref="TokenScope"/> and reused until shortly before it expires.
/// </para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class AzureOpenAIOptions : ProviderOptions
{
    /// <summary>The configuration section read when none is named.</summary>
    public const string DefaultSectionName = "AiAllin:AzureOpenAI";

    /// <summary>The API version used when none is set: the latest generally available data-plane version.</summary>
    public const string DefaultApiVersion = "2024-10-21";

    /// <summary>The <see cref="ApiVersion"/> value that selects the version-less <c>/openai/v1/</c> routes.</summary>
    public const string V1ApiVersion = "v1";

    /// <summary>The <see cref="ApiVersion"/> value that selects the <c>/openai/v1/</c> routes with their preview features (<c>api-version=preview</c>).</summary>
    public const string PreviewApiVersion = "preview";

    /// <summary>The Entra ID scope for Azure OpenAI (Cognitive Services) data-plane calls.</summary>
    public const string DefaultTokenScope = "https://cognitiveservices.azure.com/.default";

    private static readonly System.Buffers.SearchValues<char> ApiVersionSuffixCharacters = System.Buffers.SearchValues.Create("-abcdefghijklmnopqrstuvwxyz0123456789");
    private static readonly string[] EndpointVariables = ["AZURE_OPENAI_ENDPOINT"];
    private static readonly string[] KeyVariables = ["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_KEY"];
    private static readonly string[] DeploymentVariables = ["AZURE_OPENAI_DEPLOYMENT", "AZURE_OPENAI_DEPLOYMENT_NAME", "AZURE_OPENAI_CHAT_DEPLOYMENT_NAME"];
    private static readonly string[] EmbeddingDeploymentVariables = ["AZURE_OPENAI_EMBEDDING_DEPLOYMENT", "AZURE_OPENAI_EMBEDDING_DEPLOYMENT_NAME"];
    private static readonly string[] ApiVersionVariables = ["AZURE_OPENAI_API_VERSION", "OPENAI_API_VERSION"];

    /// <summary>
    /// Gets or sets the chat deployment name; <see langword="null"/> uses <see cref="ProviderOptions.Model"/>, so a
    /// deployment named after its model needs only one of the two.
    /// </summary>
    public string? Deployment { get; set; }

    /// <summary>
    /// Gets or sets the embedding deployment name used by the embedding generator; <see langword="null"/> uses
    /// <see cref="Deployment"/> (or <see cref="ProviderOptions.Model"/>), which suits an options instance registered
    /// for embeddings only.
    /// </summary>
    public string? EmbeddingDeployment { get; set; }

    /// <summary>Gets or sets the number of dimensions embeddings are asked for (text-embedding-3 models); <see langword="null"/> keeps the model's default.</summary>
    public int? EmbeddingDimensions { get; set; }

    /// <summary>
    /// Gets or sets the data-plane API version sent as <c>api-version</c>, for example <c>2024-10-21</c> or
    /// <c>2025-04-01-preview</c>; <c>v1</c> selects the version-less <c>/openai/v1/</c> API and <c>preview</c> its
    /// preview features.
    /// </summary>
    public string? ApiVersion { get; set; }

    /// <summary>
    /// Gets or sets the Entra ID credential (for example <c>DefaultAzureCredential</c> or a managed identity) used
    /// instead of an API key. Set in code only; it is not bound from configuration.
    /// </summary>
    [JsonIgnore]
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public TokenCredential? Credential { get; set; }

    /// <summary>Gets or sets the scope a token is requested for; <see cref="DefaultTokenScope"/> when <see langword="null"/>.</summary>
    public string? TokenScope { get; set; }

    /// <summary>Gets the chat deployment in effect: <see cref="Deployment"/>, else <see cref="ProviderOptions.Model"/>.</summary>
    [JsonIgnore]
    public string? EffectiveDeployment => string.IsNullOrWhiteSpace(Deployment) ? Model : Deployment;

    /// <summary>Gets the embedding deployment in effect: <see cref="EmbeddingDeployment"/>, else <see cref="EffectiveDeployment"/>.</summary>
    [JsonIgnore]
    public string? EffectiveEmbeddingDeployment => string.IsNullOrWhiteSpace(EmbeddingDeployment) ? EffectiveDeployment : EmbeddingDeployment;

    /// <summary>Gets the API version in effect: <see cref="ApiVersion"/>, else <see cref="DefaultApiVersion"/>.</summary>
    [JsonIgnore]
    public string EffectiveApiVersion => string.IsNullOrWhiteSpace(ApiVersion) ? DefaultApiVersion : ApiVersion.Trim();

    /// <summary>Gets whether requests use the <c>/openai/v1/</c> routes (API version <c>v1</c>, or <c>preview</c> for the v1 preview features).</summary>
    [JsonIgnore]
    public bool UsesV1Api => string.Equals(EffectiveApiVersion, V1ApiVersion, StringComparison.OrdinalIgnoreCase) || string.Equals(EffectiveApiVersion, PreviewApiVersion, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    protected override bool RequiresApiKey => false;

    /// <inheritdoc />
    protected override bool RequiresModel => false;

    /// <inheritdoc />
    protected override IReadOnlyList<string> ApiKeyEnvironmentVariables => KeyVariables;

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => DeploymentVariables;

    /// <inheritdoc />
    protected override IReadOnlyList<string> EndpointEnvironmentVariables => EndpointVariables;

    /// <inheritdoc />
    /// <remarks>A key from the environment is not picked up when a <see cref="Credential"/> was set: the code's choice wins.</remarks>
    public override void ApplyEnvironmentDefaults(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var keyBefore = ApiKey;
        base.ApplyEnvironmentDefaults(getVariable);
        if (Credential is not null)
        {
            ApiKey = keyBefore;
        }

        if (string.IsNullOrWhiteSpace(EmbeddingDeployment) && FirstSet(EmbeddingDeploymentVariables, getVariable) is { } embedding)
        {
            EmbeddingDeployment = embedding;
        }

        if (string.IsNullOrWhiteSpace(ApiVersion) && FirstSet(ApiVersionVariables, getVariable) is { } version)
        {
            ApiVersion = version;
        }
    }

    /// <summary>Returns every problem with the settings for a chat client or an embedding generator, each naming the setting.</summary>
    /// <param name="sectionName">The configuration section the options came from.</param>
    /// <param name="forEmbeddings">Whether the embedding deployment (rather than the chat deployment) must be known.</param>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<string> GetValidationErrors(string sectionName, bool forEmbeddings)
    {
        var errors = new List<string>(GetValidationErrors(sectionName));
        var section = sectionName.TrimEnd(':');
        if (forEmbeddings)
        {
            if (string.IsNullOrWhiteSpace(EffectiveEmbeddingDeployment))
            {
                errors.Add($"{section}:EmbeddingDeployment (or {section}:Deployment) is required (or set {string.Join(" or ", EmbeddingDeploymentVariables)}).");
            }
        }
        else if (string.IsNullOrWhiteSpace(EffectiveDeployment))
        {
            errors.Add($"{section}:Deployment (or {section}:Model) is required (or set {string.Join(" or ", DeploymentVariables)}).");
        }

        if (forEmbeddings && EmbeddingDimensions is <= 0)
        {
            errors.Add(FormattableString.Invariant($"{section}:EmbeddingDimensions must be positive (was {EmbeddingDimensions})."));
        }

        return errors;
    }

    /// <summary>Checks the settings for a chat client or an embedding generator and throws one exception listing every problem.</summary>
    /// <param name="sectionName">The configuration section the options came from.</param>
    /// <param name="forEmbeddings">Whether the embedding deployment (rather than the chat deployment) must be known.</param>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it (never a secret).</exception>
    public void Validate(string sectionName, bool forEmbeddings)
    {
        var errors = GetValidationErrors(sectionName, forEmbeddings);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }
    }

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Endpoint is null)
        {
            errors.Add($"{sectionName}:Endpoint is required, for example https://my-resource.openai.azure.com/ (or set {EndpointVariables[0]}).");
        }

        var hasKey = !string.IsNullOrWhiteSpace(ApiKey);
        if (!hasKey && Credential is null)
        {
            errors.Add($"{sectionName}:ApiKey is required unless a TokenCredential is set for Entra ID (or set {string.Join(" or ", KeyVariables)}).");
        }
        else if (hasKey && Credential is not null)
        {
            errors.Add($"{sectionName}:ApiKey and a TokenCredential are both set; use one way to authenticate.");
        }

        if (ApiVersion is { } version && !IsWellFormedApiVersion(version.Trim()))
        {
            errors.Add($"{sectionName}:ApiVersion must look like 2024-10-21, 2025-04-01-preview or v1 (was '{version}').");
        }

        if (TokenScope is { } scope && string.IsNullOrWhiteSpace(scope))
        {
            errors.Add($"{sectionName}:TokenScope must not be empty; leave it unset for {DefaultTokenScope}.");
        }
    }

    /// <inheritdoc />
    protected override void AppendMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append(", Deployment = ").Append(EffectiveDeployment ?? "(not set)");
        if (!string.IsNullOrWhiteSpace(EmbeddingDeployment))
        {
            builder.Append(", EmbeddingDeployment = ").Append(EmbeddingDeployment);
        }

        builder.Append(", ApiVersion = ").Append(EffectiveApiVersion);
        if (Credential is not null)
        {
            // The type name tells which identity is used; the credential itself is never described.
            builder.Append(", Credential = ").Append(Credential.GetType().Name);
        }
    }

    private static bool IsWellFormedApiVersion(string version)
    {
        if (string.Equals(version, V1ApiVersion, StringComparison.OrdinalIgnoreCase) || string.Equals(version, PreviewApiVersion, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // yyyy-MM-dd with an optional -preview style suffix; only characters that are safe in a query value.
        return version.Length >= 10
            && DateOnly.TryParseExact(version.AsSpan(0, 10), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)
            && !version.AsSpan(10).ContainsAnyExcept(ApiVersionSuffixCharacters);
    }

    private static string? FirstSet(string[] variables, Func<string, string?> getVariable)
    {
        foreach (var name in variables)
        {
            if (getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }
}
