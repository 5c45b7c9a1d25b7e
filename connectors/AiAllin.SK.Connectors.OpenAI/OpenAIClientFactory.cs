using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Creates chat clients and embedding generators for OpenAI, Groq and OpenAI-compatible servers from
/// <see cref="OpenAIOptions"/>, on the OpenAI SDK with this package's fixes: failures as
/// <see cref="Core.ProviderException"/> (also mid-stream), the contract's capped retries instead of the SDK's, and
/// malformed or error chunks reported instead of swallowed.
/// </summary>
public static class OpenAIClientFactory
{
    private const string UserAgent = "AiAllin.SK";

    /// <summary>Creates a chat client. The options are validated first.</summary>
    /// <param name="options">The options (<see cref="OpenAIOptions"/>, <see cref="GroqOptions"/> or <see cref="OpenAICompatibleOptions"/>).</param>
    /// <param name="loggerFactory">Logs retries and failures; never the key.</param>
    /// <returns>The client; dispose it to release its connections.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IChatClient CreateChatClient(OpenAIOptions options, ILoggerFactory? loggerFactory = null)
        => CreateChatClient(options, loggerFactory, innerHandler: null);

    /// <summary>Creates a chat client that sends through the given handler (a proxy, a recording or a test transport).</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Logs retries and failures; never the key.</param>
    /// <param name="innerHandler">The transport under this package's error handling and retries; it stays the caller's and is not disposed with the client. <see langword="null"/> uses a pooled <see cref="SocketsHttpHandler"/> owned by the client.</param>
    /// <returns>The client; dispose it to release its connections.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IChatClient CreateChatClient(OpenAIOptions options, ILoggerFactory? loggerFactory, HttpMessageHandler? innerHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(SectionOf(options), forEmbeddings: false);
        var (client, httpClient) = CreateSdkClient(options, loggerFactory, innerHandler);
        var adapter = client.GetChatClient(options.Model).AsIChatClient();
        return new OpenAIProviderChatClient(adapter, options.ProviderName, options, httpClient);
    }

    /// <summary>Creates an embedding generator for <see cref="OpenAIOptions.EffectiveEmbeddingModel"/>. The options are validated first.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Logs retries and failures; never the key.</param>
    /// <returns>The generator; dispose it to release its connections.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(OpenAIOptions options, ILoggerFactory? loggerFactory = null)
        => CreateEmbeddingGenerator(options, loggerFactory, innerHandler: null);

    /// <summary>Creates an embedding generator that sends through the given handler.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Logs retries and failures; never the key.</param>
    /// <param name="innerHandler">The transport under this package's error handling and retries; it stays the caller's and is not disposed with the generator. <see langword="null"/> uses a pooled <see cref="SocketsHttpHandler"/> owned by the generator.</param>
    /// <returns>The generator; dispose it to release its connections.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(OpenAIOptions options, ILoggerFactory? loggerFactory, HttpMessageHandler? innerHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(SectionOf(options), forEmbeddings: true);
        var (client, httpClient) = CreateSdkClient(options, loggerFactory, innerHandler);
        var adapter = client.GetEmbeddingClient(options.EffectiveEmbeddingModel).AsIEmbeddingGenerator(options.EmbeddingDimensions);
        return new OpenAIProviderEmbeddingGenerator(adapter, options.ProviderName, options.ApiKey, options.EmbeddingDimensions, httpClient);
    }

    internal static string SectionOf(OpenAIOptions options) => options switch
    {
        GroqOptions => GroqOptions.DefaultSectionName,
        HuggingFaceRouterOptions => HuggingFaceRouterOptions.DefaultSectionName,
        OpenAICompatibleOptions => OpenAICompatibleOptions.DefaultSectionName,
        _ => OpenAIOptions.DefaultSectionName,
    };

    private static (OpenAIClient Client, HttpClient HttpClient) CreateSdkClient(OpenAIOptions options, ILoggerFactory? loggerFactory, HttpMessageHandler? innerHandler)
    {
        var httpClient = OpenAIHttpPipeline.CreateHttpClient(options.ProviderName, options, loggerFactory, innerHandler, ownsInnerHandler: false);
        var sdkOptions = OpenAIHttpPipeline.Configure(
            new OpenAIClientOptions
            {
                Endpoint = options.EffectiveEndpoint,
                OrganizationId = options.Organization,
                ProjectId = options.Project,
                UserAgentApplicationId = UserAgent,
            },
            httpClient,
            options);
        // Local servers take no key; the SDK's policy-based constructor (marked for evaluation) is the only way to send none.
#pragma warning disable OPENAI001
        var client = string.IsNullOrWhiteSpace(options.ApiKey)
            ? new OpenAIClient(new OpenAINoAuthenticationPolicy(), sdkOptions)
            : new OpenAIClient(new ApiKeyCredential(options.ApiKey), sdkOptions);
#pragma warning restore OPENAI001
        return (client, httpClient);
    }
}
