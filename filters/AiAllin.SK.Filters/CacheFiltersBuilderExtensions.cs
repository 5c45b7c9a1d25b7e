using AiAllin.SK.Filters.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters;

/// <summary>Adds the exact-match response cache to <c>AddAiAllinFilters</c>.</summary>
/// <remarks>
/// The cache is a chat-client layer only: Semantic Kernel prompt functions (<c>InvokePromptAsync</c>, streaming or not,
/// and prompt functions called through <c>kernel.InvokeAsync</c>) go through the decorated <c>IChatClient</c>, so an SK
/// function filter would only cache the same calls twice; and caching native kernel functions would replay their
/// results without running them, which is wrong for any function with side effects or fresh data.
/// </remarks>
public static class CacheFiltersBuilderExtensions
{
    /// <summary>
    /// Caches chat answers exactly: registers <see cref="HybridCache"/> when none is (it uses a registered
    /// <c>IDistributedCache</c>, e.g. Redis, as its shared layer) and one <see cref="CachePolicy"/> singleton, resolvable
    /// for invalidation, that wraps every registered chat client at this position of the pipeline. Layers written
    /// before it see every call, hits included; layers written after it only see misses. A second <c>UseCache</c>
    /// shares the first one's policy (build <see cref="CachePolicy"/> instances directly for separate caches).
    /// </summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Adjusts the <see cref="CacheOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseCache(this AiAllinFiltersBuilder builder, Action<CacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new CacheOptions();
        configure?.Invoke(options);
        options.Validate();
        builder.Services.AddHybridCache();
        builder.Services.TryAddSingleton(services => new CachePolicy(
            services.GetRequiredService<HybridCache>(),
            options,
            services.GetService<ILogger<CachePolicy>>(),
            services.GetService<TimeProvider>()));
        return builder.AddChatLayer((services, inner) => new ResponseCachingChatClient(inner, services.GetRequiredService<CachePolicy>()));
    }
}
