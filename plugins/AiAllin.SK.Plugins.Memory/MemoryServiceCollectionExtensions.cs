using AiAllin.SK.Connectors.Core.Reranking;
using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Data;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>Registers the memory plugin on an <see cref="IServiceCollection"/>.</summary>
public static class MemoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="SemanticMemory"/> over the <see cref="VectorStore"/> and the
    /// <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> registered in DI, the default
    /// <see cref="IMemoryScopeProvider"/> (the ambient <see cref="MemoryScope.Current"/>) unless one is registered,
    /// and the <see cref="MemoryPlugin"/> as a <see cref="KernelPlugin"/> named <paramref name="pluginName"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the memory's options.</param>
    /// <param name="pluginName">The plugin name the model sees (functions become <c>memory-remember</c> etc.).</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddMemoryPlugin(
        this IServiceCollection services, Action<SemanticMemoryOptions>? configure = null, string pluginName = "memory")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginName);
        services.AddSemanticMemory(configure);
        services.TryAddSingleton(sp => new MemoryPlugin(sp.GetRequiredService<SemanticMemory>(), sp.GetRequiredService<IMemoryScopeProvider>()));
        services.AddSingleton(sp => KernelPluginFactory.CreateFromObject(sp.GetRequiredService<MemoryPlugin>(), pluginName));
        return services;
    }

    /// <summary>
    /// Registers <see cref="MemoryRecallPromptFilter"/> as an SK prompt-render filter, so every rendered prompt gets the
    /// memories relevant to it (in the current scope) as a delimited data block, and the same recall for
    /// <see cref="ChatSessionRunner"/> turns (<see cref="MemoryChatContextProvider"/>). Registers the memory too.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the recall options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddMemoryRecall(this IServiceCollection services, Action<MemoryRecallOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSemanticMemory();
        var options = new MemoryRecallOptions();
        configure?.Invoke(options);
        services.AddSingleton<IPromptRenderFilter>(sp => new MemoryRecallPromptFilter(
            sp.GetRequiredService<SemanticMemory>(), sp.GetRequiredService<IMemoryScopeProvider>(), options));
        services.TryAddSingleton<IChatContextProvider>(sp => new MemoryChatContextProvider(
            sp.GetRequiredService<SemanticMemory>(), sp.GetRequiredService<IMemoryScopeProvider>(), options));
        return services;
    }

    /// <summary>Registers <see cref="MemoryTextSearch"/> as SK's <c>ITextSearch</c> and <c>ITextSearch&lt;MemoryRecord&gt;</c> (and itself). Registers the memory too.</summary>
    /// <param name="services">The services.</param>
    /// <param name="mode">The ranking.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddMemoryTextSearch(this IServiceCollection services, MemorySearchMode mode = MemorySearchMode.Vector)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSemanticMemory();
        services.TryAddSingleton(sp => new MemoryTextSearch(sp.GetRequiredService<SemanticMemory>(), sp.GetRequiredService<IMemoryScopeProvider>(), mode));
#pragma warning disable CS0618 // SK's CreateWithSearch helpers resolve the non-generic ITextSearch, which SK marks obsolete.
        services.TryAddSingleton<ITextSearch>(sp => sp.GetRequiredService<MemoryTextSearch>());
#pragma warning restore CS0618
        services.TryAddSingleton<ITextSearch<MemoryRecord>>(sp => sp.GetRequiredService<MemoryTextSearch>());
        return services;
    }

    /// <summary>
    /// Registers a <see cref="SemanticMemory"/> (singleton) over the <see cref="VectorStore"/> and embedding generator
    /// registered in DI, and the default <see cref="IMemoryScopeProvider"/> unless one is registered. When the options
    /// name no <see cref="SemanticMemoryOptions.Reranker"/>, a registered <see cref="IMemoryReranker"/> or provider
    /// <see cref="IReranker"/> (wrapped in <see cref="RerankerMemoryReranker"/>) reorders search results.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the memory's options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddSemanticMemory(this IServiceCollection services, Action<SemanticMemoryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IMemoryScopeProvider>(AmbientMemoryScopeProvider.Instance);
        services.TryAddSingleton(sp =>
        {
            var options = new SemanticMemoryOptions();
            configure?.Invoke(options);

            // A reranker registered in the container (a memory reranker, or any provider IReranker) serves when the
            // options name none.
            options.Reranker ??= sp.GetService<IMemoryReranker>()
                ?? (sp.GetService<IReranker>() is { } reranker ? new RerankerMemoryReranker(reranker) : null);
            return new SemanticMemory(
                sp.GetRequiredService<VectorStore>(), sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(), options);
        });
        return services;
    }
}
