using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Registers OpenAI, Groq, Hugging Face router and OpenAI-compatible chat clients and embedding generators. Every method validates its
/// settings at once (a missing key or model throws here, naming the setting) and fills unset values from the
/// provider's environment variables. Chat clients are registered with Semantic Kernel's function invocation, so a
/// kernel built on these services runs tools with <c>FunctionChoiceBehavior.Auto()</c>.
/// </summary>
public static partial class OpenAIServiceCollectionExtensions
{
    /// <summary>Adds an OpenAI chat client (<c>IChatClient</c>) configured by a delegate, then <c>OPENAI_*</c> variables.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> to use the environment only.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOpenAIChatClient(this IServiceCollection services, Action<OpenAIOptions>? configure = null, string? serviceKey = null)
        => AddOpenAIChatClient(services, configure, serviceKey, Environment.GetEnvironmentVariable);

    /// <summary>Adds an OpenAI chat client configured by a configuration section, then <c>OPENAI_*</c> variables.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:OpenAI</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOpenAIChatClient(this IServiceCollection services, IConfiguration configuration, string sectionName = OpenAIOptions.DefaultSectionName, string? serviceKey = null)
        => OpenAIRegistration.AddChatClient(services, OpenAIRegistration.FromConfiguration<OpenAIOptions>(configuration, sectionName, Environment.GetEnvironmentVariable, forEmbeddings: false), serviceKey);

    /// <summary>Adds an OpenAI embedding generator (<c>text-embedding-3-small</c> unless <see cref="OpenAIOptions.EmbeddingModel"/> says otherwise).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> to use the environment only.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOpenAIEmbeddingGenerator(this IServiceCollection services, Action<OpenAIOptions>? configure = null, string? serviceKey = null)
        => AddOpenAIEmbeddingGenerator(services, configure, serviceKey, Environment.GetEnvironmentVariable);

    /// <summary>Adds an OpenAI embedding generator configured by a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:OpenAI</c> by default (its <c>EmbeddingModel</c> and <c>EmbeddingDimensions</c>).</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOpenAIEmbeddingGenerator(this IServiceCollection services, IConfiguration configuration, string sectionName = OpenAIOptions.DefaultSectionName, string? serviceKey = null)
        => OpenAIRegistration.AddEmbeddingGenerator(services, OpenAIRegistration.FromConfiguration<OpenAIOptions>(configuration, sectionName, Environment.GetEnvironmentVariable, forEmbeddings: true), serviceKey);

    /// <summary>Adds a Groq chat client configured by a delegate, then <c>GROQ_API_KEY</c> / <c>GROQ_MODEL</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> to use the environment only.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddGroqChatClient(this IServiceCollection services, Action<GroqOptions>? configure = null, string? serviceKey = null)
        => AddGroqChatClient(services, configure, serviceKey, Environment.GetEnvironmentVariable);

    /// <summary>Adds a Groq chat client configured by a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:Groq</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddGroqChatClient(this IServiceCollection services, IConfiguration configuration, string sectionName = GroqOptions.DefaultSectionName, string? serviceKey = null)
        => OpenAIRegistration.AddChatClient(services, OpenAIRegistration.FromConfiguration<GroqOptions>(configuration, sectionName, Environment.GetEnvironmentVariable, forEmbeddings: false), serviceKey);

    /// <summary>Adds a chat client for Hugging Face's OpenAI-compatible router configured by a delegate, then <c>HF_TOKEN</c> / <c>HF_MODEL</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> to use the environment only.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddHuggingFaceChatClient(this IServiceCollection services, Action<HuggingFaceRouterOptions>? configure = null, string? serviceKey = null)
        => AddHuggingFaceChatClient(services, configure, serviceKey, Environment.GetEnvironmentVariable);

    /// <summary>Adds a chat client for Hugging Face's OpenAI-compatible router configured by a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:HuggingFaceRouter</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddHuggingFaceChatClient(this IServiceCollection services, IConfiguration configuration, string sectionName = HuggingFaceRouterOptions.DefaultSectionName, string? serviceKey = null)
        => OpenAIRegistration.AddChatClient(services, OpenAIRegistration.FromConfiguration<HuggingFaceRouterOptions>(configuration, sectionName, Environment.GetEnvironmentVariable, forEmbeddings: false), serviceKey);

    /// <summary>Adds a chat client for an OpenAI-compatible server (LM Studio, vLLM, llama.cpp, Together, OpenRouter...).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (endpoint and model at least; start from a preset's values if you like).</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOpenAICompatibleChatClient(this IServiceCollection services, Action<OpenAICompatibleOptions>? configure = null, string? serviceKey = null)
        => AddOpenAICompatibleChatClient(services, configure, serviceKey, Environment.GetEnvironmentVariable);

    /// <summary>Adds a chat client for an OpenAI-compatible server from ready options, for example a preset such as <see cref="OpenAICompatibleOptions.LMStudio"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The options.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOpenAICompatibleChatClient(this IServiceCollection services, OpenAICompatibleOptions options, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return AddOpenAICompatibleChatClient(services, o => CopyCompatible(options, o), serviceKey, Environment.GetEnvironmentVariable);
    }

    /// <summary>Adds a chat client for an OpenAI-compatible server configured by a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:OpenAICompatible</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOpenAICompatibleChatClient(this IServiceCollection services, IConfiguration configuration, string sectionName = OpenAICompatibleOptions.DefaultSectionName, string? serviceKey = null)
        => OpenAIRegistration.AddChatClient(services, OpenAIRegistration.FromConfiguration<OpenAICompatibleOptions>(configuration, sectionName, Environment.GetEnvironmentVariable, forEmbeddings: false), serviceKey);

    /// <summary>Adds an embedding generator for an OpenAI-compatible server; its model is <see cref="OpenAIOptions.EmbeddingModel"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (endpoint and embedding model).</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOpenAICompatibleEmbeddingGenerator(this IServiceCollection services, Action<OpenAICompatibleOptions>? configure = null, string? serviceKey = null)
        => AddOpenAICompatibleEmbeddingGenerator(services, configure, serviceKey, Environment.GetEnvironmentVariable);

    /// <summary>Adds an embedding generator for an OpenAI-compatible server configured by a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:OpenAICompatible</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOpenAICompatibleEmbeddingGenerator(this IServiceCollection services, IConfiguration configuration, string sectionName = OpenAICompatibleOptions.DefaultSectionName, string? serviceKey = null)
        => OpenAIRegistration.AddEmbeddingGenerator(services, OpenAIRegistration.FromConfiguration<OpenAICompatibleOptions>(configuration, sectionName, Environment.GetEnvironmentVariable, forEmbeddings: true), serviceKey);

    internal static IServiceCollection AddOpenAIChatClient(IServiceCollection services, Action<OpenAIOptions>? configure, string? serviceKey, Func<string, string?> getVariable)
        => OpenAIRegistration.AddChatClient(services, OpenAIRegistration.FromDelegate(configure, getVariable, forEmbeddings: false), serviceKey);

    internal static IServiceCollection AddOpenAIEmbeddingGenerator(IServiceCollection services, Action<OpenAIOptions>? configure, string? serviceKey, Func<string, string?> getVariable)
        => OpenAIRegistration.AddEmbeddingGenerator(services, OpenAIRegistration.FromDelegate(configure, getVariable, forEmbeddings: true), serviceKey);

    internal static IServiceCollection AddGroqChatClient(IServiceCollection services, Action<GroqOptions>? configure, string? serviceKey, Func<string, string?> getVariable)
        => OpenAIRegistration.AddChatClient(services, OpenAIRegistration.FromDelegate(configure, getVariable, forEmbeddings: false), serviceKey);

    internal static IServiceCollection AddHuggingFaceChatClient(IServiceCollection services, Action<HuggingFaceRouterOptions>? configure, string? serviceKey, Func<string, string?> getVariable)
        => OpenAIRegistration.AddChatClient(services, OpenAIRegistration.FromDelegate(configure, getVariable, forEmbeddings: false), serviceKey);

    internal static IServiceCollection AddOpenAICompatibleChatClient(IServiceCollection services, Action<OpenAICompatibleOptions>? configure, string? serviceKey, Func<string, string?> getVariable)
        => OpenAIRegistration.AddChatClient(services, OpenAIRegistration.FromDelegate(configure, getVariable, forEmbeddings: false), serviceKey);

    internal static IServiceCollection AddOpenAICompatibleEmbeddingGenerator(IServiceCollection services, Action<OpenAICompatibleOptions>? configure, string? serviceKey, Func<string, string?> getVariable)
        => OpenAIRegistration.AddEmbeddingGenerator(services, OpenAIRegistration.FromDelegate(configure, getVariable, forEmbeddings: true), serviceKey);

    private static void CopyCompatible(OpenAICompatibleOptions from, OpenAICompatibleOptions to)
    {
        to.Name = from.Name;
        to.ApiKey = from.ApiKey;
        to.Model = from.Model;
        to.Endpoint = from.Endpoint;
        to.MaxTokens = from.MaxTokens;
        to.Temperature = from.Temperature;
        to.Timeout = from.Timeout;
        to.AllowInsecureHttp = from.AllowInsecureHttp;
        to.MaxRetries = from.MaxRetries;
        to.MaxRetryDelay = from.MaxRetryDelay;
        to.Organization = from.Organization;
        to.Project = from.Project;
        to.EmbeddingModel = from.EmbeddingModel;
        to.EmbeddingDimensions = from.EmbeddingDimensions;
    }
}
