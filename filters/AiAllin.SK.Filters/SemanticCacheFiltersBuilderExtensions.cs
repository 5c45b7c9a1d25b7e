using AiAllin.SK.Filters.Caching;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Filters;

/// <summary>Adds the semantic response cache to <c>AddAiAllinFilters</c>.</summary>
/// <remarks>A chat-client layer only, for the reasons given on <see cref="CacheFiltersBuilderExtensions"/>.</remarks>
public static class SemanticCacheFiltersBuilderExtensions
{
    /// <summary>
    /// Caches chat answers by meaning: registers one <see cref="SemanticCachePolicy"/> singleton (resolvable for
    /// invalidation) over the options' or the registered <see cref="VectorStore"/> and embedding generator, wrapping
    /// every registered chat client at this position of the pipeline. Written after <c>UseCache</c>, it is only asked
    /// when the exact cache misses. A second <c>UseSemanticCache</c> shares the first one's policy.
    /// </summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Adjusts the <see cref="SemanticCacheOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseSemanticCache(this AiAllinFiltersBuilder builder, Action<SemanticCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SemanticCacheOptions();
        configure?.Invoke(options);
        options.Validate();
        builder.Services.TryAddSingleton(services => CreatePolicy(services, options));
        return builder.AddChatLayer((services, inner) => new SemanticCachingChatClient(inner, services.GetRequiredService<SemanticCachePolicy>()));
    }

    internal static SemanticCachePolicy CreatePolicy(IServiceProvider services, SemanticCacheOptions options) =>
        new(
            options.VectorStore ?? services.GetService<VectorStore>()
                ?? throw new InvalidOperationException("The semantic cache needs a vector store: set SemanticCacheOptions.VectorStore or register a VectorStore."),
            options.EmbeddingGenerator ?? services.GetService<IEmbeddingGenerator<string, Embedding<float>>>()
                ?? throw new InvalidOperationException("The semantic cache needs an embedding generator: set SemanticCacheOptions.EmbeddingGenerator or register an IEmbeddingGenerator<string, Embedding<float>>."),
            options,
            services.GetService<ILogger<SemanticCachePolicy>>(),
            services.GetService<TimeProvider>());
}
