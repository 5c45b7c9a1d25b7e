using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

// The SDK's AuthenticationPolicy constructors are marked experimental; they are the supported way to send a header
// other than "Authorization: Bearer <key>" (Azure's api-key) or a refreshed Entra ID token.
#pragma warning disable OPENAI001

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Creates Azure OpenAI chat clients and embedding generators from <see cref="AzureOpenAIOptions"/>, on the OpenAI SDK
/// alone: the SDK's endpoint points at the deployment route (or the v1 route), a pipeline policy adds
/// <c>api-version</c>, and the authentication policy sends either the <c>api-key</c> header or an Entra ID bearer
/// token. Failures, retries and stream checks are the same as for OpenAI (see <see cref="OpenAIClientFactory"/>), and
/// content-filter verdicts are surfaced as <see cref="AzureOpenAIContentFilterResults"/>.
/// </summary>
/// <remarks>
/// Azure.AI.OpenAI is deliberately not used: its stable 2.1.0 calls an OpenAI SDK member that OpenAI 2.15 no longer
/// has (MissingMethodException as soon as Semantic Kernel's OpenAI connector runs over it), and the only release built
/// for OpenAI 2.15 is a beta. All Azure adds to the OpenAI wire format is the route, the version parameter, the key
/// header and the token, which fit in two small pipeline policies.
/// </remarks>
public static class AzureOpenAIClientFactory
{
    /// <summary>The provider name used in exceptions and logs.</summary>
    public const string ProviderName = "AzureOpenAI";

    // As for OpenAI: connections are recycled so DNS changes reach long-lived singleton clients.
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The header Azure reads an API key from.</summary>
    internal const string ApiKeyHeader = "api-key";

    /// <summary>Creates a chat client for the options' deployment. The options are validated first.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Logs retries and failures; never the key or the token.</param>
    /// <returns>The client; dispose it to release its connections.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IChatClient CreateChatClient(AzureOpenAIOptions options, ILoggerFactory? loggerFactory = null)
        => CreateChatClient(options, loggerFactory, innerHandler: null);

    /// <summary>Creates a chat client for the options' deployment, sending through <paramref name="innerHandler"/>. The options are validated first.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Logs retries and failures; never the key or the token.</param>
    /// <param name="innerHandler">The transport; <see langword="null"/> uses a pooled handler the client owns. A handler passed in stays the caller's (never disposed).</param>
    /// <returns>The client; dispose it to release its connections.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IChatClient CreateChatClient(AzureOpenAIOptions options, ILoggerFactory? loggerFactory, HttpMessageHandler? innerHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(AzureOpenAIOptions.DefaultSectionName, forEmbeddings: false);
        var deployment = options.EffectiveDeployment!;
        var httpClient = CreateHttpClient(options, loggerFactory, innerHandler);
        var authentication = CreateAuthenticationPolicy(options);
        IChatClient Adapter(string name) => new ChatClient(name, authentication, CreateClientOptions(options, name, httpClient)).AsIChatClient();

        // On the v1 routes the body's model names the deployment, so a per-request model needs no routing.
        var inner = options.UsesV1Api ? Adapter(deployment) : new AzureOpenAIDeploymentChatClient(deployment, Adapter);
        return new OpenAIProviderChatClient(new AzureOpenAIContentFilterChatClient(inner), ProviderName, options, httpClient);
    }

    /// <summary>Creates an embedding generator for the options' embedding deployment. The options are validated first.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Logs retries and failures; never the key or the token.</param>
    /// <returns>The generator; dispose it to release its connections.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(AzureOpenAIOptions options, ILoggerFactory? loggerFactory = null)
        => CreateEmbeddingGenerator(options, loggerFactory, innerHandler: null);

    /// <summary>Creates an embedding generator for the options' embedding deployment, sending through <paramref name="innerHandler"/>. The options are validated first.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Logs retries and failures; never the key or the token.</param>
    /// <param name="innerHandler">The transport; <see langword="null"/> uses a pooled handler the generator owns. A handler passed in stays the caller's (never disposed).</param>
    /// <returns>The generator; dispose it to release its connections.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(AzureOpenAIOptions options, ILoggerFactory? loggerFactory, HttpMessageHandler? innerHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(AzureOpenAIOptions.DefaultSectionName, forEmbeddings: true);
        var deployment = options.EffectiveEmbeddingDeployment!;
        var httpClient = CreateHttpClient(options, loggerFactory, innerHandler);
        var sdkClient = new EmbeddingClient(deployment, CreateAuthenticationPolicy(options), CreateClientOptions(options, deployment, httpClient));
        return new OpenAIProviderEmbeddingGenerator(sdkClient.AsIEmbeddingGenerator(options.EmbeddingDimensions), ProviderName, options.ApiKey, options.EmbeddingDimensions, httpClient);
    }

    /// <summary>Creates the shared HTTP stack with Azure's content-filter refusal reader next to the network.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">The logger factory, if any.</param>
    /// <param name="innerHandler">The caller's transport, or <see langword="null"/> for a pooled one the client owns.</param>
    /// <returns>The HTTP client.</returns>
    internal static HttpClient CreateHttpClient(AzureOpenAIOptions options, ILoggerFactory? loggerFactory, HttpMessageHandler? innerHandler = null)
    {
        var refusals = new AzureOpenAIContentFilterErrorHandler((loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AzureOpenAIContentFilterErrorHandler>())
        {
            InnerHandler = innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = PooledConnectionLifetime },
        };

        // The refusal reader holds nothing to release; leaving it undisposed keeps a caller's handler the caller's.
        return OpenAIHttpPipeline.CreateHttpClient(ProviderName, options, loggerFactory, refusals, ownsInnerHandler: innerHandler is null);
    }

    /// <summary>Creates the policy that authenticates every request: the <c>api-key</c> header or an Entra ID bearer token.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The policy.</returns>
    internal static AuthenticationPolicy CreateAuthenticationPolicy(AzureOpenAIOptions options)
    {
        if (options.Credential is { } credential)
        {
            return new AzureOpenAITokenPolicy(credential, options.TokenScope ?? AzureOpenAIOptions.DefaultTokenScope);
        }

        var key = options.ApiKey ?? throw new InvalidOperationException("Neither an Azure OpenAI API key nor a TokenCredential is set.");
        return ApiKeyAuthenticationPolicy.CreateHeaderApiKeyPolicy(new ApiKeyCredential(key.Trim()), ApiKeyHeader);
    }

    /// <summary>Creates the SDK options: the deployment-scoped (or v1) endpoint, the <c>api-version</c> policy and the shared HTTP stack.</summary>
    /// <param name="options">The options.</param>
    /// <param name="deployment">The deployment the client talks to.</param>
    /// <param name="httpClient">The HTTP client from <see cref="OpenAIHttpPipeline.CreateHttpClient"/>.</param>
    /// <returns>The SDK options.</returns>
    internal static OpenAIClientOptions CreateClientOptions(AzureOpenAIOptions options, string deployment, HttpClient httpClient)
    {
        var clientOptions = OpenAIHttpPipeline.Configure(new OpenAIClientOptions { Endpoint = RouteBase(options, deployment), UserAgentApplicationId = "AiAllin.SK" }, httpClient, options);
        if (!string.Equals(options.EffectiveApiVersion, AzureOpenAIOptions.V1ApiVersion, StringComparison.OrdinalIgnoreCase))
        {
            clientOptions.AddPolicy(new AzureOpenAIApiVersionPolicy(options.EffectiveApiVersion), PipelinePosition.PerCall);
        }

        return clientOptions;
    }

    /// <summary>
    /// Returns the address the SDK appends <c>/chat/completions</c> or <c>/embeddings</c> to. A resource endpoint given
    /// with a trailing <c>/openai</c> or <c>/openai/v1</c> (as portals show it) is accepted, and a gateway's path prefix
    /// (API Management) is kept.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="deployment">The deployment.</param>
    /// <returns>The base address, without a trailing slash.</returns>
    internal static Uri RouteBase(AzureOpenAIOptions options, string deployment)
    {
        var endpoint = options.Endpoint ?? throw new InvalidOperationException("The Azure OpenAI endpoint is not set.");
        var path = endpoint.AbsolutePath.TrimEnd('/');
        foreach (var suffix in (ReadOnlySpan<string>)["/openai/v1", "/openai"])
        {
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                path = path[..^suffix.Length];
                break;
            }
        }

        var route = options.UsesV1Api ? "/openai/v1" : "/openai/deployments/" + Uri.EscapeDataString(deployment);
        return new UriBuilder(endpoint) { Path = path + route, Query = string.Empty, Fragment = string.Empty }.Uri;
    }
}
