using AiAllin.SK.Connectors.Core.ChatClients;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>Registers Gemini chat clients and embedding generators on an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// Settings come from the delegate or configuration section, then the environment (<c>GEMINI_API_KEY</c>,
/// <c>GOOGLE_API_KEY</c>, <c>GEMINI_MODEL</c>, <c>GEMINI_EMBEDDING_MODEL</c>) for whatever is still unset, and are
/// validated here, at registration, so a missing key or model stops the app at startup with a message naming the
/// setting. The chat client is wrapped with Semantic Kernel's function invocation, so <c>FunctionChoiceBehavior.Auto()</c>
/// runs kernel functions, and with the registered chat layers (retry, logging, rate limits) inside that tool loop.
/// </remarks>
public static class GeminiServiceCollectionExtensions
{
    /// <summary>Adds a Gemini <see cref="IChatClient"/> configured by a delegate and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddGeminiChatClient(this IServiceCollection services, Action<GeminiOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new GeminiOptions();
        configure?.Invoke(options);
        return AddChatClient(services, options, GeminiOptions.DefaultSectionName, serviceKey);
    }

    /// <summary>Adds a Gemini <see cref="IChatClient"/> bound from a configuration section and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Gemini</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddGeminiChatClient(this IServiceCollection services, IConfiguration configuration, string sectionName = GeminiOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        var options = new GeminiOptions();
        configuration.GetSection(sectionName).Bind(options);
        return AddChatClient(services, options, sectionName, serviceKey);
    }

    /// <summary>Adds a Gemini embedding generator configured by a delegate and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddGeminiEmbeddingGenerator(this IServiceCollection services, Action<GeminiEmbeddingOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new GeminiEmbeddingOptions();
        configure?.Invoke(options);
        return AddEmbeddingGenerator(services, options, GeminiOptions.DefaultSectionName, serviceKey);
    }

    /// <summary>Adds a Gemini embedding generator bound from a configuration section and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Gemini</c> by default; use another (for example <c>AiAllin:GeminiEmbeddings</c>) when chat and embeddings use different models.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddGeminiEmbeddingGenerator(this IServiceCollection services, IConfiguration configuration, string sectionName = GeminiOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        var options = new GeminiEmbeddingOptions();
        configuration.GetSection(sectionName).Bind(options);
        return AddEmbeddingGenerator(services, options, sectionName, serviceKey);
    }

    private static IServiceCollection AddChatClient(IServiceCollection services, GeminiOptions options, string sectionName, string? serviceKey)
    {
        options.ApplyEnvironmentDefaults();
        options.Validate(sectionName);
        return services.AddProviderChatClient(serviceKey, options, (loggerFactory, handler) => new GeminiChatClient(options, loggerFactory, handler));
    }

    private static IServiceCollection AddEmbeddingGenerator(IServiceCollection services, GeminiEmbeddingOptions options, string sectionName, string? serviceKey)
    {
        options.ApplyEnvironmentDefaults();
        options.Validate(sectionName);
        return services.AddProviderEmbeddingGenerator(serviceKey, options, (loggerFactory, handler) => new GeminiEmbeddingGenerator(options, loggerFactory, handler));
    }
}
