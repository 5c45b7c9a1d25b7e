using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.ChatClients;
using AiAllin.SK.Connectors.Core.Http;
using AiAllin.SK.Connectors.Core.Reranking;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.HuggingFace;

// The remote clients: text-embeddings-inference (embed, rerank) and the Inference API's feature extraction. Settings
// come from the delegate or configuration section, then the environment for whatever is still unset, and are
// validated here, so a missing endpoint or key stops the app at startup with a message naming the setting.
public static partial class HuggingFaceServiceCollectionExtensions
{
    /// <summary>Adds a <see cref="TextEmbeddingsInferenceGenerator"/> as the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, configured by a delegate and the environment (<c>TEI_URL</c>, <c>TEI_API_KEY</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddTextEmbeddingsInferenceGenerator(this IServiceCollection services, Action<TextEmbeddingsInferenceOptions>? configure = null, string? serviceKey = null)
        => AddTextEmbeddingsInferenceGenerator(services, configure, serviceKey, Environment.GetEnvironmentVariable);

    /// <summary>Adds a <see cref="TextEmbeddingsInferenceGenerator"/> bound from a configuration section and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:TextEmbeddingsInference</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddTextEmbeddingsInferenceGenerator(this IServiceCollection services, IConfiguration configuration, string sectionName = TextEmbeddingsInferenceOptions.DefaultSectionName, string? serviceKey = null)
    {
        var options = Bind<TextEmbeddingsInferenceOptions>(services, configuration, sectionName);
        return AddGenerator(services, Complete(options, sectionName, Environment.GetEnvironmentVariable), serviceKey, (o, logging, handler) => new TextEmbeddingsInferenceGenerator(o, logging, handler));
    }

    /// <summary>Adds a <see cref="TextEmbeddingsInferenceReranker"/> as the <see cref="IReranker"/>, configured by a delegate and the environment (<c>TEI_RERANK_URL</c>, <c>TEI_API_KEY</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddTextEmbeddingsInferenceReranker(this IServiceCollection services, Action<TextEmbeddingsInferenceRerankerOptions>? configure = null, string? serviceKey = null)
        => AddTextEmbeddingsInferenceReranker(services, configure, serviceKey, Environment.GetEnvironmentVariable);

    /// <summary>Adds a <see cref="TextEmbeddingsInferenceReranker"/> bound from a configuration section and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:TextEmbeddingsInferenceReranker</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddTextEmbeddingsInferenceReranker(this IServiceCollection services, IConfiguration configuration, string sectionName = TextEmbeddingsInferenceRerankerOptions.DefaultSectionName, string? serviceKey = null)
    {
        var options = Bind<TextEmbeddingsInferenceRerankerOptions>(services, configuration, sectionName);
        return AddReranker(services, Complete(options, sectionName, Environment.GetEnvironmentVariable), serviceKey);
    }

    /// <summary>Adds a <see cref="HuggingFaceInferenceEmbeddingGenerator"/> as the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, configured by a delegate and the environment (<c>HF_TOKEN</c> or <c>HUGGINGFACE_API_KEY</c>, <c>HF_EMBEDDING_MODEL</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddHuggingFaceInferenceEmbeddingGenerator(this IServiceCollection services, Action<HuggingFaceInferenceOptions>? configure = null, string? serviceKey = null)
        => AddHuggingFaceInferenceEmbeddingGenerator(services, configure, serviceKey, Environment.GetEnvironmentVariable);

    /// <summary>Adds a <see cref="HuggingFaceInferenceEmbeddingGenerator"/> bound from a configuration section and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:HuggingFace</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddHuggingFaceInferenceEmbeddingGenerator(this IServiceCollection services, IConfiguration configuration, string sectionName = HuggingFaceInferenceOptions.DefaultSectionName, string? serviceKey = null)
    {
        var options = Bind<HuggingFaceInferenceOptions>(services, configuration, sectionName);
        return AddGenerator(services, Complete(options, sectionName, Environment.GetEnvironmentVariable), serviceKey, (o, logging, handler) => new HuggingFaceInferenceEmbeddingGenerator(o, logging, handler));
    }

    internal static IServiceCollection AddTextEmbeddingsInferenceGenerator(IServiceCollection services, Action<TextEmbeddingsInferenceOptions>? configure, string? serviceKey, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new TextEmbeddingsInferenceOptions();
        configure?.Invoke(options);
        return AddGenerator(services, Complete(options, TextEmbeddingsInferenceOptions.DefaultSectionName, getVariable), serviceKey, (o, logging, handler) => new TextEmbeddingsInferenceGenerator(o, logging, handler));
    }

    internal static IServiceCollection AddTextEmbeddingsInferenceReranker(IServiceCollection services, Action<TextEmbeddingsInferenceRerankerOptions>? configure, string? serviceKey, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new TextEmbeddingsInferenceRerankerOptions();
        configure?.Invoke(options);
        return AddReranker(services, Complete(options, TextEmbeddingsInferenceRerankerOptions.DefaultSectionName, getVariable), serviceKey);
    }

    internal static IServiceCollection AddHuggingFaceInferenceEmbeddingGenerator(IServiceCollection services, Action<HuggingFaceInferenceOptions>? configure, string? serviceKey, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new HuggingFaceInferenceOptions();
        configure?.Invoke(options);
        return AddGenerator(services, Complete(options, HuggingFaceInferenceOptions.DefaultSectionName, getVariable), serviceKey, (o, logging, handler) => new HuggingFaceInferenceEmbeddingGenerator(o, logging, handler));
    }

    private static TOptions Bind<TOptions>(IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : ProviderOptions, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        var options = new TOptions();
        configuration.GetSection(sectionName).Bind(options);
        return options;
    }

    private static TOptions Complete<TOptions>(TOptions options, string sectionName, Func<string, string?> getVariable)
        where TOptions : ProviderOptions
    {
        options.ApplyEnvironmentDefaults(getVariable);
        options.Validate(sectionName);
        return options;
    }

    private static IServiceCollection AddGenerator<TOptions>(IServiceCollection services, TOptions options, string? serviceKey, Func<TOptions, ILoggerFactory, HttpMessageHandler?, IEmbeddingGenerator<string, Embedding<float>>> create)
        where TOptions : ProviderOptions
        => services.AddProviderEmbeddingGenerator(serviceKey, options, (loggerFactory, handler) => create(options, loggerFactory, handler));

    private static IServiceCollection AddReranker(IServiceCollection services, TextEmbeddingsInferenceRerankerOptions options, string? serviceKey)
    {
        services.AddKeyedSingleton<IReranker>(serviceKey, (provider, _) => new TextEmbeddingsInferenceReranker(
            options,
            provider.GetService<ILoggerFactory>(),
            ProviderHttpHandlers.Resolve(provider, options)));
        return services;
    }
}
