using System.Runtime.CompilerServices;
using AiAllin.SK.Connectors.InMemory;
using AiAllin.SK.Filters;
using AiAllin.SK.Filters.Caching;
using AiAllin.SK.Testing.VectorData;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// What the response cache costs per call: a hit (key computation, lookup, decoding) against calling the model, with a
/// model that answers at once (a no-op client) and one that takes 1 ms; a refresh (stale entry: lookup, model call,
/// encoding, write); in process and on Redis (distributed cache only, so every hit is a Redis round trip); and a
/// semantic hit on the in-memory vector store with a cheap deterministic embedding. Needs <c>AIALLIN_REDIS_URL</c>.
/// </summary>
/// <remarks>
/// The request is a six-message conversation (~1 KB) with two tools and sampling options; the answer ~600 characters
/// of text with usage, streamed as 20 chunks.
/// </remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 12)]
public class CacheBenchmarks
{
    private static readonly string[] Vocabulary = ["capital", "france", "paris", "weather", "tools", "cache"];

    private readonly List<ChatMessage> _messages =
    [
        new(ChatRole.System, "You are a helpful assistant for a travel agency. Answer briefly, cite sources, never invent prices."),
        new(ChatRole.User, "I am planning a trip to France in May. What is the weather usually like in Paris then?"),
        new(ChatRole.Assistant, "In May Paris is mild: highs around 20 °C, lows near 10 °C, with some showers. Pack layers and an umbrella."),
        new(ChatRole.User, "Which museums should I book in advance, and how long should I plan for each of them?"),
        new(ChatRole.Assistant, "Book the Louvre and the Musée d'Orsay ahead; plan three hours for the Louvre and two for Orsay."),
        new(ChatRole.User, "And what is the capital of France, for my kid's school quiz cache tools?"),
    ];

    private readonly ChatOptions _options = new()
    {
        Temperature = 0.2f,
        MaxOutputTokens = 400,
        Tools = [AIFunctionFactory.Create((string city) => city, "get_weather"), AIFunctionFactory.Create((string museum) => museum, "book_museum")],
    };

    private ServiceProvider _redisServices = null!;
    private IChatClient _noOp = null!;
    private IChatClient _delayed = null!;
    private IChatClient _memoryHit = null!;
    private IChatClient _memoryRefresh = null!;
    private IChatClient _redisHit = null!;
    private IChatClient _redisRefresh = null!;
    private IChatClient _semanticHit = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var redis = Environment.GetEnvironmentVariable("AIALLIN_REDIS_URL")
            ?? throw new InvalidOperationException("Set AIALLIN_REDIS_URL (eval \"$(bash eng/services-start.sh)\").");
        var answer = new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(Enumerable.Repeat("Paris is the capital of France. ", 20))))
        {
            ModelId = "bench-model",
            Usage = new UsageDetails { InputTokenCount = 300, OutputTokenCount = 140, TotalTokenCount = 440 },
        };
        _noOp = new FixedChatClient(answer, TimeSpan.Zero);
        _delayed = new FixedChatClient(answer, TimeSpan.FromMilliseconds(1));

        var memory = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider().GetRequiredService<HybridCache>();
        _memoryHit = Wrap(_noOp, new CachePolicy(memory));
        _memoryRefresh = Wrap(_noOp, new CachePolicy(memory, new CacheOptions { KeyPrefix = "refresh:", MaxAge = TimeSpan.FromMilliseconds(1) }, timeProvider: new SteppingTimeProvider()));

        var redisServices = new ServiceCollection();
        redisServices.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = redis;
            o.InstanceName = "bench" + Guid.NewGuid().ToString("N")[..8] + ":";
        });
        redisServices.AddHybridCache();
        _redisServices = redisServices.BuildServiceProvider();
        var redisCache = _redisServices.GetRequiredService<HybridCache>();
        _redisHit = Wrap(_noOp, new CachePolicy(redisCache, new CacheOptions { UseLocalCache = false, Ttl = TimeSpan.FromMinutes(30) }));
        _redisRefresh = Wrap(_noOp, new CachePolicy(
                redisCache,
                new CacheOptions { UseLocalCache = false, KeyPrefix = "refresh:", MaxAge = TimeSpan.FromMilliseconds(1), Ttl = TimeSpan.FromMinutes(30) },
                timeProvider: new SteppingTimeProvider()));

        _semanticHit = Wrap(_noOp, new SemanticCachePolicy(new InMemoryVectorStore(), TestEmbeddingGenerator.Words(Vocabulary), new SemanticCacheOptions()));

        foreach (var client in new[] { _memoryHit, _redisHit, _semanticHit })
        {
            await client.GetResponseAsync(_messages, _options);
            var check = await client.GetResponseAsync(_messages, _options);
            if (check.AdditionalProperties?[CacheOptions.StatusProperty] as string != "hit")
            {
                throw new InvalidOperationException("The warm-up call did not produce a cache hit.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _redisServices.Dispose();

    private static IChatClient Wrap(IChatClient inner, CachePolicy policy) => inner.AsBuilder().UseAiAllinCache(policy).Build();

    private static IChatClient Wrap(IChatClient inner, SemanticCachePolicy policy) => inner.AsBuilder().UseAiAllinSemanticCache(policy).Build();

    [Benchmark(Baseline = true, Description = "No cache, model answers at once")]
    public Task<ChatResponse> NoCache_NoOpModel() => _noOp.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "No cache, model takes 1 ms")]
    public Task<ChatResponse> NoCache_1msModel() => _delayed.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "Hit, in-memory HybridCache")]
    public Task<ChatResponse> Hit_InMemory() => _memoryHit.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "Hit, in-memory, streamed replay")]
    public async Task<int> Hit_InMemory_Streaming()
    {
        var count = 0;
        await foreach (var update in _memoryHit.GetStreamingResponseAsync(_messages, _options))
        {
            count += update.Contents.Count;
        }

        return count;
    }

    [Benchmark(Description = "Refresh (stale entry), in-memory")]
    public Task<ChatResponse> Refresh_InMemory() => _memoryRefresh.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "Hit, Redis (no local copy)")]
    public Task<ChatResponse> Hit_Redis() => _redisHit.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "Refresh (stale entry), Redis")]
    public Task<ChatResponse> Refresh_Redis() => _redisRefresh.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "Semantic hit, in-memory vector store")]
    public Task<ChatResponse> Hit_Semantic_InMemory() => _semanticHit.GetResponseAsync(_messages, _options);

    /// <summary>A model that always gives the same answer, optionally after a delay; streams it as 20 chunks.</summary>
    private sealed class FixedChatClient(ChatResponse answer, TimeSpan delay) : IChatClient
    {
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            return new ChatResponse([.. answer.Messages]) { ModelId = answer.ModelId, Usage = answer.Usage };
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            var text = answer.Text;
            var size = text.Length / 20;
            for (var i = 0; i < 20; i++)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, text.Substring(i * size, i == 19 ? text.Length - (i * size) : size)) { ModelId = answer.ModelId };
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>A clock that moves one second on every reading, so every stored entry is already stale at the next call.</summary>
    private sealed class SteppingTimeProvider : TimeProvider
    {
        private long _ticks = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Add(ref _ticks, TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
