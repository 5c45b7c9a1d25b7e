using AiAllin.SK.Connectors.Core.ChatClients;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Connectors.Ollama;

/// <summary>Registers Ollama chat clients and embedding generators on an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// Settings come from the delegate or configuration section, then the environment (<c>OLLAMA_HOST</c>,
/// <c>OLLAMA_MODEL</c>, <c>OLLAMA_EMBEDDING_MODEL</c>, <c>OLLAMA_API_KEY</c>) for whatever is still unset, and are
/// validated here, at registration, so a missing model stops the app at startup with a message naming the setting.
/// The chat client is wrapped with Semantic Kernel's function invocation, so <c>FunctionChoiceBehavior.Auto()</c> runs
/// kernel functions, as Semantic Kernel's own chat-client registrations do.
/// </remarks>
public static class OllamaServiceCollectionExtensions
{
    /// <summary>Adds an Ollama <see cref="IChatClient"/> configured by a delegate and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOllamaChatClient(this IServiceCollection services, Action<OllamaOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new OllamaOptions();
        configure?.Invoke(options);
        return AddChatClient(services, options, OllamaOptions.DefaultSectionName, serviceKey);
    }

    /// <summary>Adds an Ollama <see cref="IChatClient"/> bound from a configuration section and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Ollama</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOllamaChatClient(this IServiceCollection services, IConfiguration configuration, string sectionName = OllamaOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        var options = new OllamaOptions();
        configuration.GetSection(sectionName).Bind(options);
        return AddChatClient(services, options, sectionName, serviceKey);
    }

    /// <summary>Adds an Ollama embedding generator configured by a delegate and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOllamaEmbeddingGenerator(this IServiceCollection services, Action<OllamaEmbeddingOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new OllamaEmbeddingOptions();
        configure?.Invoke(options);
        return AddEmbeddingGenerator(services, options, OllamaOptions.DefaultSectionName, serviceKey);
    }

    /// <summary>Adds an Ollama embedding generator bound from a configuration section and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Ollama</c> by default; use another (for example <c>AiAllin:OllamaEmbeddings</c>) when chat and embeddings use different models.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddOllamaEmbeddingGenerator(this IServiceCollection services, IConfiguration configuration, string sectionName = OllamaOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        var options = new OllamaEmbeddingOptions();
        configuration.GetSection(sectionName).Bind(options);
        return AddEmbeddingGenerator(services, options, sectionName, serviceKey);
    }

    private static IServiceCollection AddChatClient(IServiceCollection services, OllamaOptions options, string sectionName, string? serviceKey)
    {
        options.ApplyEnvironmentDefaults();
        options.Validate(sectionName);
        return services.AddProviderChatClient(serviceKey, options, (loggerFactory, handler) => new OllamaChatClient(options, loggerFactory, handler));
    }

    private static IServiceCollection AddEmbeddingGenerator(IServiceCollection services, OllamaEmbeddingOptions options, string sectionName, string? serviceKey)
    {
        options.ApplyEnvironmentDefaults();
        options.Validate(sectionName);
        return services.AddProviderEmbeddingGenerator(serviceKey, options, (loggerFactory, handler) => new OllamaEmbeddingGenerator(options, loggerFactory, handler));
    }
}
