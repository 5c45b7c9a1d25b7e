using System.Diagnostics.Metrics;
using AiAllin.SK.Connectors.OpenAI;
using AiAllin.SK.Filters;
using AiAllin.SK.Filters.Transform;
using AiAllin.SK.Testing.Providers;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// What the README's filter stack adds to a real call: the OpenAI-compatible client (as registered, through
/// <c>AddOpenAICompatibleChatClient</c>) talking HTTP to <see cref="OpenAIWireServer"/> on loopback, bare against the
/// same registration with <c>AddAiAllinFilters</c> — the README's full stack (validation, logging, metrics, exact
/// cache, rate limit, retry, timeout, transform), the same stack without the cache, and the cache alone. Every call
/// sends a new prompt, so the cache rows are misses (key computed, model called, answer stored). Nobody listens to
/// the metrics and the logger factory has no provider (logging off), as in <see cref="FilterStackBenchmarks"/>; every
/// call carries a cancellable token, as a web request's would.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[Config(typeof(InProcessConfig))]
public class FilterStackWireBenchmarks
{
    private const int TopUp = 20_000;

    private readonly ScriptedReply _reply = ScriptedReply.WithText("Paris is the capital of France.");
    private readonly List<ServiceProvider> _providers = [];
    private OpenAIWireServer _server = null!;
    private IChatClient _bare = null!;
    private IChatClient _fullStack = null!;
    private IChatClient _stackWithoutCache = null!;
    private IChatClient _cacheOnly = null!;
    private readonly CancellationTokenSource _request = new();
    private long _prompt;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await WireServer.StartAsync<OpenAIWireServer>();
        _bare = Client(null);
        _fullStack = Client(f => Readme(f, withCache: true));
        _stackWithoutCache = Client(f => Readme(f, withCache: false));
        _cacheOnly = Client(f => f.UseCache(o => o.Ttl = TimeSpan.FromHours(1)));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _server.DisposeAsync();
        _request.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<ChatResponse> BareClient() => CallAsync(_bare);

    [Benchmark]
    public Task<ChatResponse> ReadmeStack_CacheMiss() => CallAsync(_fullStack);

    [Benchmark]
    public Task<ChatResponse> ReadmeStack_WithoutCache() => CallAsync(_stackWithoutCache);

    [Benchmark]
    public Task<ChatResponse> CacheOnly_Miss() => CallAsync(_cacheOnly);

    /// <summary>Adds the README's stack (limits that are never reached).</summary>
    /// <param name="f">The filters builder.</param>
    /// <param name="withCache">Whether the exact cache is in it.</param>
    /// <param name="model">The one model validation allows.</param>
    internal static void Readme(AiAllinFiltersBuilder f, bool withCache, string model = "local-model")
    {
        f.UseValidation(o =>
            {
                o.MaxPromptCharacters = 20_000;
                o.AllowedModels.Add(model);
            })
            .UseLogging(o => o.RedactionPatterns.Add(PiiPatterns.Email))
            .UseMetrics();
        if (withCache)
        {
            f.UseCache(o => o.Ttl = TimeSpan.FromHours(1));
        }

        f.UseRateLimit(o =>
            {
                o.RequestsPerWindow = int.MaxValue;
                o.TokensPerWindow = int.MaxValue;
                o.Window = TimeSpan.FromMinutes(1);
            })
            .UseRetry()
            .UseTimeout(o =>
            {
                o.Total = TimeSpan.FromMinutes(2);
                o.FirstToken = TimeSpan.FromSeconds(20);
                o.Idle = TimeSpan.FromSeconds(10);
            })
            .UseTransform(o =>
            {
                o.SystemPrompt = "Answer briefly.";
                o.PiiPatterns.Add(PiiPatterns.Email);
            });
    }

    private IChatClient Client(Action<AiAllinFiltersBuilder>? filters)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHybridCache();
        services.AddSingleton<IMeterFactory, UnlistenedMeterFactory>();
        services.AddOpenAICompatibleChatClient(o =>
        {
            o.Name = "wire";
            o.Model = "local-model";
            o.Endpoint = new Uri(_server.BaseAddress, "v1");
        });
        if (filters is not null)
        {
            services.AddAiAllinFilters(filters);
        }

        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IChatClient>();
    }

    private Task<ChatResponse> CallAsync(IChatClient client)
    {
        if (_server.PendingReplies < TopUp / 2)
        {
            _server.Enqueue([.. Enumerable.Repeat(_reply, TopUp)]);
        }

        var prompt = Interlocked.Increment(ref _prompt);
        return client.GetResponseAsync([new ChatMessage(ChatRole.User, $"What is the capital of France? ({prompt})")], cancellationToken: _request.Token);
    }

    /// <summary>Meters of its own, which nobody listens to (as in an app without an exporter).</summary>
    private sealed class UnlistenedMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options.Name, options.Version, options.Tags, this);

        public void Dispose()
        {
        }
    }
}
