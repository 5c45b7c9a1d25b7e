using AiAllin.SK.Connectors.Core.ChatClients;
using AiAllin.SK.Connectors.Core.Http;
using AiAllin.SK.Connectors.Core.Reranking;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>Registers Cohere chat clients, embedding generators and rerankers on an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// Settings come from the delegate or configuration section, then the environment (<c>COHERE_API_KEY</c> or
/// <c>CO_API_KEY</c>, <c>COHERE_MODEL</c>, <c>COHERE_EMBEDDING_MODEL</c>, <c>COHERE_RERANK_MODEL</c>, <c>CO_API_URL</c>)
/// for whatever is still unset, and are validated here, at registration, so a missing key or model stops the app at
/// startup with a message naming the setting. The chat client goes through Core's provider registration: Semantic
/// Kernel's function invocation, so <c>FunctionChoiceBehavior.Auto()</c> runs kernel functions, with the registered
/// layers (logging, retry, ...) around each model call.
/// </remarks>
public static class CohereServiceCollectionExtensions
{
    /// <summary>Adds a Cohere <see cref="IChatClient"/> configured by a delegate and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddCohereChatClient(this IServiceCollection services, Action<CohereOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new CohereOptions();
        configure?.Invoke(options);
        return AddChatClient(services, options, CohereOptions.DefaultSectionName, serviceKey);
    }

    /// <summary>Adds a Cohere <see cref="IChatClient"/> bound from a configuration section and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Cohere</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddCohereChatClient(this IServiceCollection services, IConfiguration configuration, string sectionName = CohereOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = Bind<CohereOptions>(configuration, sectionName);
        return AddChatClient(services, options, sectionName, serviceKey);
    }

    /// <summary>Adds a Cohere embedding generator (float vectors) configured by a delegate and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddCohereEmbeddingGenerator(this IServiceCollection services, Action<CohereEmbeddingOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new CohereEmbeddingOptions();
        configure?.Invoke(options);
        return AddEmbeddingGenerator(services, options, CohereOptions.DefaultSectionName, serviceKey);
    }

    /// <summary>Adds a Cohere embedding generator (float vectors) bound from a configuration section and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Cohere</c> by default; use another (for example <c>AiAllin:CohereEmbeddings</c>) when chat and embeddings use different models.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddCohereEmbeddingGenerator(this IServiceCollection services, IConfiguration configuration, string sectionName = CohereOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = Bind<CohereEmbeddingOptions>(configuration, sectionName);
        return AddEmbeddingGenerator(services, options, sectionName, serviceKey);
    }

    /// <summary>Adds a Cohere <see cref="IReranker"/> configured by a delegate and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddCohereReranker(this IServiceCollection services, Action<CohereRerankOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new CohereRerankOptions();
        configure?.Invoke(options);
        return AddReranker(services, options, CohereOptions.DefaultSectionName, serviceKey);
    }

    /// <summary>Adds a Cohere <see cref="IReranker"/> bound from a configuration section and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Cohere</c> by default; use another (for example <c>AiAllin:CohereRerank</c>) for a different model.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddCohereReranker(this IServiceCollection services, IConfiguration configuration, string sectionName = CohereOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = Bind<CohereRerankOptions>(configuration, sectionName);
        return AddReranker(services, options, sectionName, serviceKey);
    }

    private static TOptions Bind<TOptions>(IConfiguration configuration, string sectionName)
        where TOptions : CohereOptions, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        var options = new TOptions();
        configuration.GetSection(sectionName).Bind(options);
        return options;
    }

    private static IServiceCollection AddChatClient(IServiceCollection services, CohereOptions options, string sectionName, string? serviceKey)
    {
        options.ApplyEnvironmentDefaults();
        options.Validate(sectionName);
        return services.AddProviderChatClient(serviceKey, options, (loggerFactory, handler) => new CohereChatClient(options, loggerFactory, handler));
    }

    private static IServiceCollection AddEmbeddingGenerator(IServiceCollection services, CohereEmbeddingOptions options, string sectionName, string? serviceKey)
    {
        options.ApplyEnvironmentDefaults();
        options.Validate(sectionName);
        return services.AddProviderEmbeddingGenerator(serviceKey, options, (loggerFactory, handler) => new CohereEmbeddingGenerator(options, loggerFactory, handler));
    }

    private static IServiceCollection AddReranker(IServiceCollection services, CohereRerankOptions options, string sectionName, string? serviceKey)
    {
        options.ApplyEnvironmentDefaults();
        options.Validate(sectionName);
        return services.AddKeyedSingleton<IReranker>(serviceKey, (provider, _) =>
            new CohereReranker(options, provider.GetService<ILoggerFactory>(), ProviderHttpHandlers.Resolve(provider, options)));
    }
}
