using AiAllin.SK.Filters.Caching;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters;

/// <summary>Adds the exact-match response cache to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class CacheChatClientBuilderExtensions
{
    /// <summary>
    /// Adds an exact-match response cache over <paramref name="cache"/>, or over the <see cref="HybridCache"/> of the
    /// pipeline's services when null (register it with <c>services.AddHybridCache()</c>, plus
    /// <c>AddStackExchangeRedisCache</c> to share it through Redis).
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="cache">The cache, or null to take it from the services.</param>
    /// <param name="configure">Adjusts the <see cref="CacheOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinCache(this ChatClientBuilder builder, HybridCache? cache = null, Action<CacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new CacheOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.Use((inner, services) => new ResponseCachingChatClient(
            inner,
            new CachePolicy(
                cache ?? services.GetRequiredService<HybridCache>(),
                options,
                services.GetService<ILogger<CachePolicy>>(),
                services.GetService<TimeProvider>())));
    }

    /// <summary>Adds an existing <see cref="CachePolicy"/> (shared between pipelines, or kept for invalidation).</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="policy">The cache.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinCache(this ChatClientBuilder builder, CachePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(policy);
        return builder.Use(inner => new ResponseCachingChatClient(inner, policy));
    }
}
