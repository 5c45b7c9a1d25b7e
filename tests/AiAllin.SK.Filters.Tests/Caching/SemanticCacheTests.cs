using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.InMemory;
using AiAllin.SK.Filters.Caching;
using AiAllin.SK.Filters.Tests.TestSupport;
using AiAllin.SK.Testing.Logging;
using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using static AiAllin.SK.Filters.Tests.Caching.CacheTestHost;

namespace AiAllin.SK.Filters.Tests.Caching;

public sealed class SemanticCacheTests
{
    private static readonly string[] Vocabulary = ["what", "is", "the", "capital", "of", "france", "italy", "weather", "in", "oslo", "my", "balance"];

    private static TestEmbeddingGenerator Words() => TestEmbeddingGenerator.Words(Vocabulary);

    private static ScriptedChatClient Numbered() => new(call => ScriptedTurn.FromText("answer ", "#" + call.Index));

    private static SemanticCachePolicy Policy(
        VectorStore? store = null,
        IEmbeddingGenerator<string, Embedding<float>>? generator = null,
        Action<SemanticCacheOptions>? configure = null,
        TimeProvider? time = null,
        CollectingLoggerProvider? logs = null)
    {
        var options = new SemanticCacheOptions { CollectionName = "cache_" + Guid.NewGuid().ToString("N")[..8] };
        configure?.Invoke(options);
        return new SemanticCachePolicy(
            store ?? new InMemoryVectorStore(), generator ?? Words(), options, logs?.CreateFactory().CreateLogger<SemanticCachePolicy>(), time);
    }

    [Fact]
    public async Task SimilarQuestion_IsServedFromTheCache()
    {
        var inner = Numbered();
        using var client = new SemanticCachingChatClient(inner, Policy());

        var first = await client.GetResponseAsync(Ask("What is the capital of France"));
        var reworded = await client.GetResponseAsync(Ask("what is THE capital of france, please"));

        Assert.Equal(1, inner.CallCount);
        Assert.Equal("answer #0", reworded.Text);
        Assert.Equal("miss", Status(first));
        Assert.Equal("hit", Status(reworded));
        Assert.Equal(Key(first), Key(reworded));
    }

    [Fact]
    public async Task QuestionBelowTheThreshold_IsAMiss()
    {
        var inner = Numbered();
        using var client = new SemanticCachingChatClient(inner, Policy());

        await client.GetResponseAsync(Ask("What is the capital of France"));
        var italy = await client.GetResponseAsync(Ask("What is the capital of Italy"));

        Assert.Equal("answer #1", italy.Text);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task LowerThreshold_AcceptsLooserMatches()
    {
        var inner = Numbered();
        using var client = new SemanticCachingChatClient(inner, Policy(configure: o => o.SimilarityThreshold = 0.75));

        await client.GetResponseAsync(Ask("What is the capital of France"));
        var italy = await client.GetResponseAsync(Ask("What is the capital of Italy"));

        Assert.Equal("answer #0", italy.Text);
    }

    [Fact]
    public async Task Partition_IsPartOfTheSearchFilter_SoTenantsNeverShareAnswers()
    {
        var inner = Numbered();
        using var client = new SemanticCachingChatClient(inner, Policy());

        var alice = await client.GetResponseAsync(Ask("what is my balance"), ForTenant("alice"));
        var bob = await client.GetResponseAsync(Ask("what is my balance"), ForTenant("bob"));
        var aliceAgain = await client.GetResponseAsync(Ask("What is my balance"), ForTenant("alice"));
        var nobody = await client.GetResponseAsync(Ask("what is my balance"));

        Assert.Equal("answer #0", alice.Text);
        Assert.Equal("answer #1", bob.Text);
        Assert.Equal("answer #0", aliceAgain.Text);
        Assert.Equal("answer #2", nobody.Text);
    }

    [Fact]
    public async Task Partition_FromASelector_IsolatesUsers()
    {
        var user = new AsyncLocal<string?>();
        var inner = Numbered();
        using var client = new SemanticCachingChatClient(inner, Policy(configure: o => o.PartitionSelector = _ => user.Value));

        user.Value = "u1";
        await client.GetResponseAsync(Ask("what is my balance"));
        user.Value = "u2";
        var other = await client.GetResponseAsync(Ask("what is my balance"));

        Assert.Equal("answer #1", other.Text);
    }

    [Fact]
    public async Task DifferentContext_SameQuestion_IsAMiss()
    {
        var inner = Numbered();
        using var client = new SemanticCachingChatClient(inner, Policy());
        List<ChatMessage> WithSystem(string system) => [new(ChatRole.System, system), new(ChatRole.User, "what is the capital of france")];

        await client.GetResponseAsync(WithSystem("Answer in English"));
        var otherSystem = await client.GetResponseAsync(WithSystem("Answer in French"));
        var otherOptions = await client.GetResponseAsync(WithSystem("Answer in English"), new ChatOptions { Temperature = 1.5f });
        var same = await client.GetResponseAsync(WithSystem("Answer in English"));

        Assert.Equal("answer #1", otherSystem.Text);
        Assert.Equal("answer #2", otherOptions.Text);
        Assert.Equal("answer #0", same.Text);
    }

    [Fact]
    public async Task Streaming_HitReplaysUpdates_AndAFailedStreamIsNotStored()
    {
        var calls = 0;
        var inner = new ScriptedChatClient(_ => Interlocked.Increment(ref calls) == 1
            ? ScriptedTurn.FromText("x", "y") with { Error = new InvalidOperationException("cut"), FailAfter = 1 }
            : ScriptedTurn.FromText("Par", "is"));
        using var client = new SemanticCachingChatClient(inner, Policy());

        await Assert.ThrowsAsync<InvalidOperationException>(() => Collect(client.GetStreamingResponseAsync(Ask("capital of france"))));
        await Collect(client.GetStreamingResponseAsync(Ask("capital of france")));
        var replay = await Collect(client.GetStreamingResponseAsync(Ask("capital of France, please")));

        Assert.Equal(2, inner.CallCount);
        Assert.Equal(["Par", "is"], replay.Select(u => u.Text));
        Assert.Equal("hit", replay[0].AdditionalProperties?[CacheOptions.StatusProperty]);
    }

    [Fact]
    public async Task NoUserText_BypassesTheCache()
    {
        var inner = Numbered();
        using var client = new SemanticCachingChatClient(inner, Policy());
        List<ChatMessage> systemOnly = [new(ChatRole.System, "what is the capital of france")];

        await client.GetResponseAsync(systemOnly);
        var second = await client.GetResponseAsync(systemOnly);

        Assert.Equal("answer #1", second.Text);
    }

    [Fact]
    public async Task Ttl_ExpiredEntry_IsNotServed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var inner = Numbered();
        using var client = new SemanticCachingChatClient(inner, Policy(configure: o => o.Ttl = TimeSpan.FromMinutes(5), time: time));

        await client.GetResponseAsync(Ask("capital of france"));
        time.Advance(TimeSpan.FromMinutes(4));
        var within = await client.GetResponseAsync(Ask("capital of france"));
        time.Advance(TimeSpan.FromMinutes(2));
        var after = await client.GetResponseAsync(Ask("capital of france"));

        Assert.Equal("answer #0", within.Text);
        Assert.Equal("answer #1", after.Text);
    }

    [Fact]
    public async Task Invalidate_ByKeyTagPartitionAndAge()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var inner = Numbered();
        var policy = Policy(configure: o => o.Tags.Add("geo"), time: time);
        using var client = new SemanticCachingChatClient(inner, policy);
        var weatherTag = new ChatOptions { AdditionalProperties = new() { [CacheOptions.TagsProperty] = "weather" } };

        var france = await client.GetResponseAsync(Ask("capital of france"));
        await client.GetResponseAsync(Ask("weather in oslo"), weatherTag);
        await client.GetResponseAsync(Ask("my balance"), ForTenant("alice"));
        time.Advance(TimeSpan.FromMinutes(1));
        await client.GetResponseAsync(Ask("capital of italy"));

        await policy.InvalidateAsync(Key(france)!);
        Assert.Equal("answer #4", (await client.GetResponseAsync(Ask("capital of france"))).Text);

        Assert.Equal(1, await policy.InvalidateTagAsync("weather"));
        Assert.Equal("answer #5", (await client.GetResponseAsync(Ask("weather in oslo"), weatherTag)).Text);

        Assert.Equal(1, await policy.InvalidatePartitionAsync("alice"));
        Assert.Equal("answer #6", (await client.GetResponseAsync(Ask("my balance"), ForTenant("alice"))).Text);

        Assert.Equal("answer #3", (await client.GetResponseAsync(Ask("capital of italy"))).Text);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(4, await policy.InvalidateOlderThanAsync(time.GetUtcNow()));
        Assert.Equal("answer #7", (await client.GetResponseAsync(Ask("capital of italy"))).Text);
    }

    [Fact]
    public async Task StoredRecords_HoldNoPromptTextNorRawPartition()
    {
        var store = new InMemoryVectorStore();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("forty-two"));
        using var client = new SemanticCachingChatClient(inner, Policy(store, configure: o => o.CollectionName = "privacy"));

        await client.GetResponseAsync(Ask("what is my balance secretword"), ForTenant("alice@example.com"));

        var collection = store.GetCollection<string, SemanticCacheRecord>("privacy", SemanticCacheRecord.Definition(Vocabulary.Length));
        var records = new List<SemanticCacheRecord>();
        await foreach (var record in collection.GetAsync(r => true, 10))
        {
            records.Add(record);
        }

        var stored = Assert.Single(records);
        Assert.Contains("forty-two", stored.Entry);
        Assert.DoesNotContain("secretword", stored.Entry + stored.Context + stored.Partition);
        Assert.DoesNotContain("alice", stored.Partition);
    }

    [Fact]
    public async Task FailingEmbeddingGenerator_DegradesToTheModelAndLogs()
    {
        var inner = Numbered();
        using var logs = new CollectingLoggerProvider();
        using var client = new SemanticCachingChatClient(inner, Policy(generator: new ThrowingGenerator(), logs: logs));

        var answer = await client.GetResponseAsync(Ask("capital of france"));
        var streamed = await Collect(client.GetStreamingResponseAsync(Ask("capital of france")));

        Assert.Equal("answer #0", answer.Text);
        Assert.Equal("answer #1", string.Concat(streamed.Select(u => u.Text)));
        Assert.Equal(2, logs.Entries.Count(e => e.EventId.Id == AiAllinEventIds.CacheReadFailed && e.Level == LogLevel.Warning));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Options_InvalidThreshold_ThrowsNamingIt(double threshold)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Policy(configure: o => o.SimilarityThreshold = threshold));
        Assert.Contains("SimilarityThreshold", error.Message);
    }

    [Fact]
    public async Task Kernel_UseSemanticCache_WithRegisteredStoreAndGenerator()
    {
        var inner = Numbered();
        var kernel = TestKernels.Create(inner, f => f.UseSemanticCache(o => o.CollectionName = "kernel_cache"), services: s =>
        {
            s.AddSingleton<VectorStore>(new InMemoryVectorStore());
            s.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(Words());
        });

        var first = await kernel.InvokePromptAsync("What is the capital of France");
        var second = await kernel.InvokePromptAsync("what is the capital of france");
        var chunks = new List<string>();
        await foreach (var chunk in kernel.InvokePromptStreamingAsync("What is the capital of France, please"))
        {
            chunks.Add(chunk.ToString());
        }

        Assert.Equal("answer #0", first.ToString());
        Assert.Equal("answer #0", second.ToString());
        Assert.Equal("answer #0", string.Concat(chunks));
        Assert.Equal(1, inner.CallCount);
        Assert.NotNull(kernel.Services.GetService<SemanticCachePolicy>());
    }

    [Fact]
    public async Task UseAiAllinSemanticCache_OnChatClientBuilder_ComposesWithTheExactCache()
    {
        var inner = Numbered();
        var generator = Words();
        using var client = new ChatClientBuilder(inner)
            .UseAiAllinCache(InMemory())
            .UseAiAllinSemanticCache(o => { o.VectorStore = new InMemoryVectorStore(); o.EmbeddingGenerator = generator; })
            .Build();

        await client.GetResponseAsync(Ask("capital of france"));
        await client.GetResponseAsync(Ask("capital of france"));
        var similar = await client.GetResponseAsync(Ask("capital of France please"));

        Assert.Equal(1, inner.CallCount);
        Assert.Equal("answer #0", similar.Text);
        Assert.Equal(2, generator.Inputs.Count);
    }

    private sealed class ThrowingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new HttpRequestException("embedding service down");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
