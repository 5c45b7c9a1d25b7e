using AiAllin.SK.Filters.Caching;
using AiAllin.SK.Testing.Logging;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters.Tests.Caching;

/// <summary>Builds caches for the tests: an in-process HybridCache, or one over Redis with its own key namespace.</summary>
internal static class CacheTestHost
{
    /// <summary>A HybridCache that lives in this process only.</summary>
    public static HybridCache InMemory(CollectingLoggerProvider? logs = null) => Provider(null, null, logs).GetRequiredService<HybridCache>();

    /// <summary>Services with a HybridCache over Redis at <paramref name="redis"/>, keys under <paramref name="instance"/>.</summary>
    public static ServiceProvider Provider(string? redis, string? instance, CollectingLoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        if (redis is not null)
        {
            services.AddStackExchangeRedisCache(o =>
            {
                o.Configuration = redis;
                o.InstanceName = instance;
            });
        }

        services.AddHybridCache();
        return services.BuildServiceProvider();
    }

    public static CachePolicy Policy(HybridCache cache, Action<CacheOptions>? configure = null, TimeProvider? time = null, CollectingLoggerProvider? logs = null)
    {
        var options = new CacheOptions();
        configure?.Invoke(options);
        var logger = logs is null ? null : logs.CreateFactory().CreateLogger<CachePolicy>();
        return new CachePolicy(cache, options, logger, time);
    }

    public static List<ChatMessage> Ask(string question) => [new(ChatRole.System, "You are terse."), new(ChatRole.User, question)];

    public static string? Status(ChatResponse response) => response.AdditionalProperties?[CacheOptions.StatusProperty] as string;

    public static string? Key(ChatResponse response) => response.AdditionalProperties?[CacheOptions.KeyProperty] as string;

    public static ChatOptions ForTenant(string tenant) => new() { AdditionalProperties = new() { [CacheOptions.PartitionProperty] = tenant } };

    public static async Task<List<ChatResponseUpdate>> Collect(IAsyncEnumerable<ChatResponseUpdate> stream, CancellationToken cancellationToken = default)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in stream.WithCancellation(cancellationToken))
        {
            list.Add(update);
        }

        return list;
    }
}
