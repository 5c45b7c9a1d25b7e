using AiAllin.SK.Filters.Caching;
using AiAllin.SK.Filters.Tests.TestSupport;
using AiAllin.SK.Testing.Logging;
using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using StackExchange.Redis;
using static AiAllin.SK.Filters.Tests.Caching.CacheTestHost;

namespace AiAllin.SK.Filters.Tests.Caching;

public sealed class ExactCacheRedisTests
{
    private static string Redis => TestServers.Require(TestServers.RedisVariable);

    private static string Instance() => "t" + Guid.NewGuid().ToString("N")[..12] + ":";

    [RedisFact]
    public async Task Redis_TwoServiceProviders_ShareHits()
    {
        var instance = Instance();
        await using var app1 = Provider(Redis, instance);
        await using var app2 = Provider(Redis, instance);
        var inner1 = new ScriptedChatClient(ScriptedTurn.FromText("from ", "app1"));
        var inner2 = new ScriptedChatClient(ScriptedTurn.FromText("from app2"));
        using var client1 = new ResponseCachingChatClient(inner1, Policy(app1.GetRequiredService<HybridCache>()));
        using var client2 = new ResponseCachingChatClient(inner2, Policy(app2.GetRequiredService<HybridCache>()));

        await client1.GetResponseAsync(Ask("shared?"));
        var fromOther = await client2.GetResponseAsync(Ask("shared?"));
        await Collect(client2.GetStreamingResponseAsync(Ask("streamed?")));
        var replay = await Collect(client1.GetStreamingResponseAsync(Ask("streamed?")));

        Assert.Equal("from app1", fromOther.Text);
        Assert.Equal("hit", Status(fromOther));
        Assert.Equal(1, inner2.CallCount);
        Assert.Equal(1, inner1.CallCount);
        Assert.Equal("from app2", string.Concat(replay.Select(u => u.Text)));
    }

    [RedisFact]
    public async Task Redis_KeysAndValuesCarryNoRawPartition_KeysNoPrompt()
    {
        var instance = Instance();
        await using var app = Provider(Redis, instance);
        using var client = new ResponseCachingChatClient(new ScriptedChatClient(), Policy(app.GetRequiredService<HybridCache>()));

        await client.GetResponseAsync(Ask("my secret prompt"), ForTenant("alice@example.com"));

        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var keys = server.Keys(pattern: instance + "*").Select(k => k.ToString()).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.DoesNotContain("secret", k));
        Assert.All(keys, k => Assert.DoesNotContain("alice", k));
    }

    [RedisFact]
    public async Task Redis_Ttl_EntryExpiresInRedis()
    {
        var instance = Instance();
        await using var app = Provider(Redis, instance);
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        using var client = new ResponseCachingChatClient(inner, Policy(
            app.GetRequiredService<HybridCache>(), o => { o.Ttl = TimeSpan.FromSeconds(1); o.LocalCacheExpiration = TimeSpan.FromSeconds(1); }));

        await client.GetResponseAsync(Ask("q"));
        Assert.Equal("v0", (await client.GetResponseAsync(Ask("q"))).Text);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var after = await client.GetResponseAsync(Ask("q"));

        Assert.Equal("v1", after.Text);
        Assert.Equal("miss", Status(after));
    }

    [RedisFact]
    public async Task Redis_InvalidateByKeyAndTag_FromAnotherProcess()
    {
        var instance = Instance();
        await using var app1 = Provider(Redis, instance);
        await using var app2 = Provider(Redis, instance);
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        var policy1 = Policy(app1.GetRequiredService<HybridCache>(), o => o.Tags.Add("kb"));
        var policy2 = Policy(app2.GetRequiredService<HybridCache>(), o => o.Tags.Add("kb"));
        using var client1 = new ResponseCachingChatClient(inner, policy1);
        using var client2 = new ResponseCachingChatClient(inner, policy2);

        var a = await client1.GetResponseAsync(Ask("a"));
        await client1.GetResponseAsync(Ask("b"));
        await policy2.InvalidateAsync(Key(a)!);
        var aFrom2 = await client2.GetResponseAsync(Ask("a"));
        await policy2.InvalidateTagAsync("kb");
        var bFrom2 = await client2.GetResponseAsync(Ask("b"));

        Assert.Equal("v2", aFrom2.Text);
        Assert.Equal("v3", bFrom2.Text);
    }

    [RedisFact]
    public async Task Redis_Outage_DegradesToTheModelAndLogs()
    {
        using var logs = new CollectingLoggerProvider();
        await using var app = Provider("127.0.0.1:1,connectTimeout=500,asyncTimeout=500,syncTimeout=500,abortConnect=false", Instance(), logs);
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        using var client = new ResponseCachingChatClient(inner, Policy(app.GetRequiredService<HybridCache>(), logs: logs));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var first = await client.GetResponseAsync(Ask("q"), cancellationToken: timeout.Token);
        var streamed = await Collect(client.GetStreamingResponseAsync(Ask("q2")), timeout.Token);

        Assert.Equal("v0", first.Text);
        Assert.Equal("v1", string.Concat(streamed.Select(u => u.Text)));
        // HybridCache itself logs and swallows distributed-cache failures (CacheBackendReadFailure); the policy's own
        // fallback for a throwing cache is covered in ExactCacheTests.
        Assert.Contains(logs.Entries, e => e.Level >= LogLevel.Warning && e.Exception?.Contains("RedisConnectionException") == true);
    }

    [RedisFact]
    public async Task Redis_ThroughKernelsInTwoProcesses_ShareAnswers()
    {
        var instance = Instance();
        var inner1 = new ScriptedChatClient(ScriptedTurn.FromText("kernel one"));
        var inner2 = new ScriptedChatClient(ScriptedTurn.FromText("kernel two"));
        void Redis2(IServiceCollection s) => s.AddStackExchangeRedisCache(o => { o.Configuration = Redis; o.InstanceName = instance; });
        var kernel1 = TestKernels.Create(inner1, f => f.UseCache(), services: Redis2);
        var kernel2 = TestKernels.Create(inner2, f => f.UseCache(), services: Redis2);

        await kernel1.InvokePromptAsync("same prompt");
        var answer = await kernel2.InvokePromptAsync("same prompt");

        Assert.Equal("kernel one", answer.ToString());
        Assert.Equal(0, inner2.CallCount);
    }

    [RedisFact]
    public async Task Redis_WithoutLocalCache_AnInvalidationElsewhereIsSeenAtOnce()
    {
        var instance = Instance();
        await using var app1 = Provider(Redis, instance);
        await using var app2 = Provider(Redis, instance);
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        using var client1 = new ResponseCachingChatClient(inner, Policy(app1.GetRequiredService<HybridCache>(), o => o.UseLocalCache = false));
        var policy2 = Policy(app2.GetRequiredService<HybridCache>(), o => o.UseLocalCache = false);

        var first = await client1.GetResponseAsync(Ask("q"));
        var hit = await client1.GetResponseAsync(Ask("q"));
        await policy2.InvalidateAsync(Key(first)!);
        var afterInvalidation = await client1.GetResponseAsync(Ask("q"));

        Assert.Equal("hit", Status(hit));
        Assert.Equal("v1", afterInvalidation.Text);
    }
}
