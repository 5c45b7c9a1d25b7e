using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.Caching;
using AiAllin.SK.Filters.Tests.TestSupport;
using AiAllin.SK.Testing.Logging;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static AiAllin.SK.Filters.Tests.Caching.CacheTestHost;

namespace AiAllin.SK.Filters.Tests.Caching;

public sealed class ExactCacheTests
{
    private static ScriptedChatClient Echo() => new(call => ScriptedTurn.FromText("answer ", "to ", call.LastUserText).WithUsage(7, 3));

    [Fact]
    public async Task GetResponse_SameRequestTwice_CallsModelOnceAndReturnsTheSameAnswer()
    {
        var inner = Echo();
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory()));

        var first = await client.GetResponseAsync(Ask("capital of France?"));
        var second = await client.GetResponseAsync(Ask("capital of France?"));

        Assert.Equal(1, inner.CallCount);
        Assert.Equal("answer to capital of France?", first.Text);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(10, second.Usage?.TotalTokenCount);
        Assert.Equal("miss", Status(first));
        Assert.Equal("hit", Status(second));
        Assert.Equal(Key(first), Key(second));
    }

    [Fact]
    public async Task GetResponse_DifferentQuestion_IsAMiss()
    {
        var inner = Echo();
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory()));

        await client.GetResponseAsync(Ask("one"));
        var other = await client.GetResponseAsync(Ask("two"));

        Assert.Equal(2, inner.CallCount);
        Assert.Equal("answer to two", other.Text);
    }

    [Fact]
    public async Task Streaming_Hit_ReplaysTheUpdatesOneByOne()
    {
        var inner = Echo();
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory()));

        var live = await Collect(client.GetStreamingResponseAsync(Ask("stream me")));
        var replay = await Collect(client.GetStreamingResponseAsync(Ask("stream me")));

        Assert.Equal(1, inner.CallCount);
        Assert.Equal(4, live.Count);
        Assert.Equal(live.Select(u => u.Text), replay.Select(u => u.Text));
        Assert.Equal(["answer ", "to ", "stream me", ""], replay.Select(u => u.Text));
        Assert.Equal("hit", replay[0].AdditionalProperties?[CacheOptions.StatusProperty]);
        Assert.Equal(10, replay.ToChatResponse().Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task Streaming_AndPlainCalls_ShareOneEntry()
    {
        var inner = Echo();
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory()));

        await Collect(client.GetStreamingResponseAsync(Ask("shared")));
        var plain = await client.GetResponseAsync(Ask("shared"));
        await client.GetResponseAsync(Ask("shared 2"));
        var streamed = await Collect(client.GetStreamingResponseAsync(Ask("shared 2")));

        Assert.Equal(2, inner.CallCount);
        Assert.Equal("answer to shared", plain.Text);
        Assert.Equal("hit", Status(plain));
        Assert.Equal("answer to shared 2", string.Concat(streamed.Select(u => u.Text)));
    }

    [Fact]
    public async Task Streaming_FailingMidway_IsNotCached()
    {
        var calls = 0;
        var inner = new ScriptedChatClient(_ => Interlocked.Increment(ref calls) == 1
            ? ScriptedTurn.FromText("a", "b", "c") with { Error = new InvalidOperationException("boom"), FailAfter = 2 }
            : ScriptedTurn.FromText("good"));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory()));

        var seen = new List<string>();
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Ask("q")))
            {
                seen.Add(update.Text);
            }
        });
        var next = await Collect(client.GetStreamingResponseAsync(Ask("q")));

        Assert.Equal(["a", "b"], seen);
        Assert.Equal(2, inner.CallCount);
        Assert.Equal("good", string.Concat(next.Select(u => u.Text)));
    }

    [Fact]
    public async Task Streaming_CancelledMidway_IsNotCached()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b", "c") with { StallAfter = 1 }, ScriptedTurn.FromText("fresh"));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory()));
        using var cts = new CancellationTokenSource();

        var seen = new List<string>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Ask("q"), cancellationToken: cts.Token))
            {
                seen.Add(update.Text);
                await cts.CancelAsync();
            }
        });
        var next = await client.GetResponseAsync(Ask("q"));

        Assert.Equal(["a"], seen);
        Assert.Equal("fresh", next.Text);
        Assert.Equal("miss", Status(next));
    }

    [Fact]
    public async Task Streaming_AbandonedByTheConsumer_IsNotCached()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b", "c"), ScriptedTurn.FromText("full"));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory()));

        await foreach (var update in client.GetStreamingResponseAsync(Ask("q")))
        {
            Assert.Equal("a", update.Text);
            break;
        }

        var next = await client.GetResponseAsync(Ask("q"));
        Assert.Equal("full", next.Text);
        Assert.Equal(0, inner.ActiveStreams);
    }

    [Fact]
    public async Task Streaming_WhenDisabled_AlwaysCallsTheModelButPlainCallsAreCached()
    {
        var inner = Echo();
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory(), o => o.CacheStreaming = false));

        await Collect(client.GetStreamingResponseAsync(Ask("q")));
        await Collect(client.GetStreamingResponseAsync(Ask("q")));
        await client.GetResponseAsync(Ask("q"));
        await client.GetResponseAsync(Ask("q"));

        Assert.Equal(3, inner.CallCount);
    }

    [Fact]
    public async Task Partition_OneTenantsAnswer_NeverServesAnother()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("for call " + call.Index));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory()));

        var alice = await client.GetResponseAsync(Ask("my balance?"), ForTenant("alice"));
        var bob = await client.GetResponseAsync(Ask("my balance?"), ForTenant("bob"));
        var aliceAgain = await client.GetResponseAsync(Ask("my balance?"), ForTenant("alice"));
        var shared = await client.GetResponseAsync(Ask("my balance?"));

        Assert.Equal("for call 0", alice.Text);
        Assert.Equal("for call 1", bob.Text);
        Assert.Equal("for call 0", aliceAgain.Text);
        Assert.Equal("for call 2", shared.Text);
        Assert.NotEqual(Key(alice), Key(bob));
    }

    [Fact]
    public async Task Partition_FromASelector_IsolatesUsers()
    {
        var user = new AsyncLocal<string?>();
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("for call " + call.Index));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory(), o => o.PartitionSelector = _ => user.Value));

        user.Value = "u1";
        var first = await client.GetResponseAsync(Ask("q"));
        user.Value = "u2";
        var second = await client.GetResponseAsync(Ask("q"));
        user.Value = "u1";
        var third = await client.GetResponseAsync(Ask("q"));

        Assert.Equal(["for call 0", "for call 1", "for call 0"], new[] { first.Text, second.Text, third.Text });
    }

    [Fact]
    public async Task Ttl_ExpiredEntry_IsRefreshedFromTheModel()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory(), o => o.Ttl = TimeSpan.FromMinutes(10), time));

        await client.GetResponseAsync(Ask("q"));
        time.Advance(TimeSpan.FromMinutes(9));
        var within = await client.GetResponseAsync(Ask("q"));
        time.Advance(TimeSpan.FromMinutes(2));
        var after = await client.GetResponseAsync(Ask("q"));
        var refreshed = await client.GetResponseAsync(Ask("q"));

        Assert.Equal("v0", within.Text);
        Assert.Equal("v1", after.Text);
        Assert.Equal("v1", refreshed.Text);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task MaxAge_OlderEntry_IsIgnoredAndRefreshed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory(), o => o.MaxAge = TimeSpan.FromSeconds(30), time));

        await client.GetResponseAsync(Ask("q"));
        time.Advance(TimeSpan.FromSeconds(31));
        var stale = await client.GetResponseAsync(Ask("q"));

        Assert.Equal("v1", stale.Text);
        Assert.Equal("miss", Status(stale));
    }

    [Fact]
    public async Task InvalidateOlderThan_IgnoresEntriesCreatedBeforeTheCutoff()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        var policy = Policy(InMemory(), time: time);
        using var client = new ResponseCachingChatClient(inner, policy);

        await client.GetResponseAsync(Ask("old"));
        time.Advance(TimeSpan.FromMinutes(1));
        var cutoff = time.GetUtcNow();
        await client.GetResponseAsync(Ask("new"));
        policy.InvalidateOlderThan(cutoff);

        Assert.Equal("v2", (await client.GetResponseAsync(Ask("old"))).Text);
        Assert.Equal("v1", (await client.GetResponseAsync(Ask("new"))).Text);
    }

    [Fact]
    public async Task InvalidateAsync_ByKey_RemovesOnlyThatEntry()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        var policy = Policy(InMemory());
        using var client = new ResponseCachingChatClient(inner, policy);

        var a = await client.GetResponseAsync(Ask("a"));
        await client.GetResponseAsync(Ask("b"));
        await policy.InvalidateAsync(Key(a)!);

        Assert.Equal("v2", (await client.GetResponseAsync(Ask("a"))).Text);
        Assert.Equal("v1", (await client.GetResponseAsync(Ask("b"))).Text);
        Assert.Equal(Key(a), policy.ComputeKey(Ask("a"), null, ScriptedChatClient.DefaultModel));
    }

    [Fact]
    public async Task InvalidateTagAsync_RemovesEntriesWithThatTagOnly()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        var policy = Policy(InMemory(), o => o.Tags.Add("docs-v1"));
        using var client = new ResponseCachingChatClient(inner, policy);
        var pricing = new ChatOptions { AdditionalProperties = new() { [CacheOptions.TagsProperty] = new[] { "pricing" } } };

        await client.GetResponseAsync(Ask("a"), pricing);
        await client.GetResponseAsync(Ask("b"));
        await policy.InvalidateTagAsync("pricing");

        Assert.Equal("v2", (await client.GetResponseAsync(Ask("a"), pricing)).Text);
        Assert.Equal("v1", (await client.GetResponseAsync(Ask("b"))).Text);

        await policy.InvalidateTagAsync("docs-v1");
        Assert.Equal("v3", (await client.GetResponseAsync(Ask("b"))).Text);
    }

    [Fact]
    public async Task InvalidatePartitionAsync_RemovesOnlyThatTenantsEntries()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        var policy = Policy(InMemory());
        using var client = new ResponseCachingChatClient(inner, policy);

        await client.GetResponseAsync(Ask("q"), ForTenant("alice"));
        await client.GetResponseAsync(Ask("q"), ForTenant("bob"));
        await policy.InvalidatePartitionAsync("alice");

        Assert.Equal("v2", (await client.GetResponseAsync(Ask("q"), ForTenant("alice"))).Text);
        Assert.Equal("v1", (await client.GetResponseAsync(Ask("q"), ForTenant("bob"))).Text);
    }

    [Fact]
    public async Task InvalidateAllAsync_RemovesEveryEntry()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        var policy = Policy(InMemory());
        using var client = new ResponseCachingChatClient(inner, policy);

        await client.GetResponseAsync(Ask("a"));
        await client.GetResponseAsync(Ask("b"), ForTenant("t"));
        await policy.InvalidateAllAsync();

        Assert.Equal("v2", (await client.GetResponseAsync(Ask("a"))).Text);
        Assert.Equal("v3", (await client.GetResponseAsync(Ask("b"), ForTenant("t"))).Text);
    }

    [Fact]
    public async Task MaxEntrySize_LargerResponse_IsNotCachedButReturned()
    {
        var big = new string('x', 5000);
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText(call.LastUserText == "big" ? big : "small"));
        using var logs = new CollectingLoggerProvider();
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory(), o => o.MaxEntrySize = 2000, logs: logs));

        var first = await client.GetResponseAsync(Ask("big"));
        await client.GetResponseAsync(Ask("big"));
        await Collect(client.GetStreamingResponseAsync(Ask("big")));
        await client.GetResponseAsync(Ask("small"));
        await client.GetResponseAsync(Ask("small"));

        Assert.Equal(big, first.Text);
        Assert.Equal(4, inner.CallCount);
        Assert.Contains(logs.Entries, e => e.EventId.Id == AiAllinEventIds.CacheEntryTooLarge);
    }

    [Fact]
    public async Task MaxEntrySize_LargeStream_StopsCapturingAndIsNotCached()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.Tokens(400));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory(), o => o.MaxEntrySize = 4096));

        var first = await Collect(client.GetStreamingResponseAsync(Ask("long")));
        var second = await Collect(client.GetStreamingResponseAsync(Ask("long")));

        Assert.Equal(400, first.Count);
        Assert.Equal(400, second.Count);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task ToolCalls_AreNotCachedByDefault()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.ToolCall("get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" }));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory()));

        await client.GetResponseAsync(Ask("weather?"));
        await client.GetResponseAsync(Ask("weather?"));
        await Collect(client.GetStreamingResponseAsync(Ask("weather?")));
        await Collect(client.GetStreamingResponseAsync(Ask("weather?")));

        Assert.Equal(4, inner.CallCount);
    }

    [Fact]
    public async Task ToolCalls_WhenEnabled_AreCachedAndReplayed()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.ToolCall("get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" }));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory(), o => o.CacheToolCalls = true));

        await client.GetResponseAsync(Ask("weather?"));
        var replay = await client.GetResponseAsync(Ask("weather?"));

        Assert.Equal(1, inner.CallCount);
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(replay.Messages).Contents[0]);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Oslo", call.Arguments?["city"]?.ToString());
    }

    [Fact]
    public async Task FinalAnswerAfterToolResults_IsCachedKeyedOnTheResults()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("it is " + call.Messages[^1].Contents.OfType<FunctionResultContent>().Single().Result));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory()));
        List<ChatMessage> WithResult(string result) =>
        [
            new(ChatRole.User, "weather?"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather")]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", result)]),
        ];

        var sunny = await client.GetResponseAsync(WithResult("sunny"));
        var sunnyAgain = await client.GetResponseAsync(WithResult("sunny"));
        var rainy = await client.GetResponseAsync(WithResult("rainy"));

        Assert.Equal("it is sunny", sunnyAgain.Text);
        Assert.Equal("hit", Status(sunnyAgain));
        Assert.Equal("it is rainy", rainy.Text);
        Assert.Equal(2, inner.CallCount);
        Assert.Equal("miss", Status(sunny));
    }

    [Fact]
    public async Task Bypass_PerCall_NeitherReadsNorWrites()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory()));
        var bypass = new ChatOptions { AdditionalProperties = new() { [CacheOptions.BypassProperty] = true } };

        await client.GetResponseAsync(Ask("q"));
        var fresh = await client.GetResponseAsync(Ask("q"), bypass);
        var cached = await client.GetResponseAsync(Ask("q"));

        Assert.Equal("v1", fresh.Text);
        Assert.Equal("v0", cached.Text);
    }

    [Fact]
    public async Task FailingInnerCall_IsNotCached()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(new HttpRequestException("down")), ScriptedTurn.FromText("up"));
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory()));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync(Ask("q")));
        Assert.Equal("up", (await client.GetResponseAsync(Ask("q"))).Text);
    }

    [Fact]
    public async Task Logs_HitMissAndStore_WithoutPromptText()
    {
        var inner = Echo();
        using var logs = new CollectingLoggerProvider();
        using var client = new ResponseCachingChatClient(inner, Policy(InMemory(), logs: logs));

        await client.GetResponseAsync(Ask("secret question sk-test-123"));
        await client.GetResponseAsync(Ask("secret question sk-test-123"));

        Assert.Contains(logs.Entries, e => e.EventId.Id == AiAllinEventIds.CacheMiss);
        Assert.Contains(logs.Entries, e => e.EventId.Id == AiAllinEventIds.CacheStored);
        Assert.Contains(logs.Entries, e => e.EventId.Id == AiAllinEventIds.CacheHit && e.Level == LogLevel.Debug);
        Assert.DoesNotContain("secret question", logs.AllText);
    }

    [Theory]
    [InlineData("Ttl")]
    [InlineData("MaxAge")]
    [InlineData("MaxEntrySize")]
    [InlineData("KeyPrefix")]
    [InlineData("Tags")]
    public void Options_Invalid_ThrowNamingTheSetting(string setting)
    {
        var options = new CacheOptions();
        switch (setting)
        {
            case "Ttl": options.Ttl = TimeSpan.Zero; break;
            case "MaxAge": options.MaxAge = TimeSpan.FromSeconds(-1); break;
            case "MaxEntrySize": options.MaxEntrySize = 0; break;
            case "KeyPrefix": options.KeyPrefix = " "; break;
            case "Tags": options.Tags.Add(""); break;
        }

        var error = Assert.ThrowsAny<ArgumentException>(() => new CachePolicy(InMemory(), options));
        Assert.Contains(setting, error.Message);
    }

    [Fact]
    public async Task UseAiAllinCache_OnChatClientBuilder_CachesAndExposesThePolicy()
    {
        var inner = Echo();
        var cache = InMemory();
        using var client = new ChatClientBuilder(inner).UseAiAllinCache(cache, o => o.KeyPrefix = "app:").Build();

        await client.GetResponseAsync(Ask("q"));
        var hit = await client.GetResponseAsync(Ask("q"));

        Assert.Equal(1, inner.CallCount);
        Assert.StartsWith("app:v1:", Key(hit));
        Assert.NotNull(client.GetService<CachePolicy>());
    }

    [Fact]
    public async Task BrokenCache_DegradesToTheModel_LogsAWarningAndSkipsTheWrite()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        var cache = new ThrowingHybridCache();
        using var logs = new CollectingLoggerProvider();
        using var client = new ResponseCachingChatClient(inner, Policy(cache, logs: logs));

        var plain = await client.GetResponseAsync(Ask("q"));
        var streamed = await Collect(client.GetStreamingResponseAsync(Ask("q")));

        Assert.Equal("v0", plain.Text);
        Assert.Equal("v1", string.Concat(streamed.Select(u => u.Text)));
        Assert.Equal(2, cache.Reads);
        Assert.Equal(0, cache.Writes);
        Assert.Equal(2, logs.Entries.Count(e => e.EventId.Id == AiAllinEventIds.CacheReadFailed && e.Level == LogLevel.Warning));
    }
}
