using AiAllin.SK.Filters.Caching;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters;

/// <summary>Adds the semantic response cache to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class SemanticCacheChatClientBuilderExtensions
{
    /// <summary>
    /// Adds a semantic response cache; the vector store and embedding generator come from the options, or from the
    /// pipeline's services when not set there.
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="configure">Adjusts the <see cref="SemanticCacheOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinSemanticCache(this ChatClientBuilder builder, Action<SemanticCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SemanticCacheOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.Use((inner, services) => new SemanticCachingChatClient(inner, SemanticCacheFiltersBuilderExtensions.CreatePolicy(services, options)));
    }

    /// <summary>Adds an existing <see cref="SemanticCachePolicy"/> (shared between pipelines, or kept for invalidation).</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="policy">The cache.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinSemanticCache(this ChatClientBuilder builder, SemanticCachePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(policy);
        return builder.Use(inner => new SemanticCachingChatClient(inner, policy));
    }
}
