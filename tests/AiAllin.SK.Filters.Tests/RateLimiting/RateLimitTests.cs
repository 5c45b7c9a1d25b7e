using System.Net;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.RateLimiting;
using AiAllin.SK.Filters.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace AiAllin.SK.Filters.Tests.RateLimiting;

public sealed class RateLimitTests
{
    private const string DefaultKey = "scripted/scripted-model/";

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Requests_OverTheWindowLimit_AreRejectedWithPartitionAndRetryAfter()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient();
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 2, Window = Window, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);

        await client.GetResponseAsync("one");
        time.Advance(TimeSpan.FromSeconds(15));
        await client.GetResponseAsync("two");
        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync("three"));

        Assert.Equal(2, inner.CallCount);
        Assert.Equal(RateLimitReason.Requests, error.Reason);
        Assert.Equal(DefaultKey, error.PartitionKey);
        Assert.Equal(TimeSpan.FromSeconds(45), error.RetryAfter);
        Assert.Contains(DefaultKey, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, policy.GetRequestStatistics(DefaultKey)!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task Requests_AfterTheWindowPasses_AreAcceptedAgain()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient();
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 1, Window = Window, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);

        await client.GetResponseAsync("one");
        await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync("two"));
        time.Advance(Window);
        await client.GetResponseAsync("three");

        Assert.Equal(["one", "three"], inner.Calls.Select(c => c.LastUserText));
    }

    [Fact]
    public async Task Requests_InQueueMode_WaitForTheNextWindowInsteadOfFailing()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("answer " + call.Index));
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 1, Window = Window, QueueLimit = 2, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);

        await client.GetResponseAsync("one");
        var queued = client.GetResponseAsync("two");
        var queuedStream = TestKernels.ToListAsync(client.GetStreamingResponseAsync("three"));

        Assert.False(queued.IsCompleted);
        Assert.Equal(1, inner.CallCount);
        Assert.Equal(2, policy.GetRequestStatistics(DefaultKey)!.CurrentQueuedCount);

        time.Advance(Window);
        var second = await Eventually.Within(queued);
        Assert.Equal("answer 1", second.Text);
        Assert.False(queuedStream.IsCompleted);

        time.Advance(Window);
        var third = await Eventually.Within(queuedStream);
        Assert.Equal("answer 2", string.Concat(third.Select(u => u.Text)));
    }

    [Fact]
    public async Task Queue_WhenFull_RejectsTheExtraRequest()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient();
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 1, Window = Window, QueueLimit = 1, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);

        await client.GetResponseAsync("one");
        var queued = client.GetResponseAsync("two");
        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync("three"));

        Assert.Equal(RateLimitReason.Requests, error.Reason);
        time.Advance(Window);
        await Eventually.Within(queued);
        Assert.Equal(["one", "two"], inner.Calls.Select(c => c.LastUserText));
    }

    [Fact]
    public async Task Queue_CancelledWaiter_LeavesTheQueueAndNeverCallsTheProvider()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient();
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 1, Window = Window, QueueLimit = 1, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);
        using var cts = new CancellationTokenSource();

        await client.GetResponseAsync("one");
        var queued = client.GetResponseAsync("two", cancellationToken: cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(queued));
        Assert.Equal(0, policy.GetRequestStatistics(DefaultKey)!.CurrentQueuedCount);
        time.Advance(Window);
        await client.GetResponseAsync("three");
        Assert.Equal(["one", "three"], inner.Calls.Select(c => c.LastUserText));
    }

    [Fact]
    public async Task Partitions_ForDifferentUsersAndModels_AreLimitedIndependently()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient();
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 1, Window = Window, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);
        static ChatOptions As(string user, string? model = null) => new() { ModelId = model, AdditionalProperties = new() { ["user"] = user } };

        await client.GetResponseAsync("hi", As("alice"));
        await client.GetResponseAsync("hi", As("bob"));
        await client.GetResponseAsync("hi", As("alice", "other-model"));
        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync("again", As("alice")));

        Assert.Equal("scripted/scripted-model/alice", error.PartitionKey);
        Assert.Equal(3, inner.CallCount);
        Assert.Equal(0, policy.GetRequestStatistics("scripted/other-model/alice")!.CurrentAvailablePermits);
        Assert.Equal(1, policy.GetRequestStatistics("scripted/other-model/bob")!.CurrentAvailablePermits);
    }

    [Fact]
    public void PartitionKey_Default_UsesProviderThenRequestModelElseClientModelThenUser()
    {
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 1 });
        var metadata = new ChatClientMetadata("openai", defaultModelId: "gpt-default");

        Assert.Equal("openai/gpt-default/", policy.GetPartitionKey(metadata, [], null));
        Assert.Equal("openai/gpt-x/u1", policy.GetPartitionKey(metadata, [], new ChatOptions { ModelId = "gpt-x", AdditionalProperties = new() { ["user"] = "u1" } }));
        Assert.Equal("//", policy.GetPartitionKey(null, [], null));
    }

    [Fact]
    public async Task PartitionKey_CustomSelector_DecidesWhoSharesALimit()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient();
        using var policy = new RateLimitPolicy(new RateLimitOptions
        {
            RequestsPerWindow = 1,
            Window = Window,
            TimeProvider = time,
            PartitionKeySelector = c => "tenant:" + (c.Options?.AdditionalProperties?["tenant"] ?? "none"),
        });
        using var client = new RateLimitingChatClient(inner, policy);

        await client.GetResponseAsync("hi", new ChatOptions { AdditionalProperties = new() { ["tenant"] = "a", ["user"] = "alice" } });
        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync("hi", new ChatOptions { AdditionalProperties = new() { ["tenant"] = "a", ["user"] = "bob" } }));

        Assert.Equal("tenant:a", error.PartitionKey);
    }

    [Fact]
    public async Task Tokens_EstimatedAsTextLengthOverFour_RejectWhenTheWindowCannotHoldTheEstimate()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient();
        using var policy = new RateLimitPolicy(new RateLimitOptions { TokensPerWindow = 100, Window = Window, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);
        var prompt = new string('x', 157);

        Assert.Equal(40, policy.EstimateTokens([new ChatMessage(ChatRole.User, prompt)], null));
        await client.GetResponseAsync(prompt);
        await client.GetResponseAsync(prompt);
        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync(prompt));

        Assert.Equal(RateLimitReason.Tokens, error.Reason);
        Assert.Equal(20, policy.GetTokenStatistics(DefaultKey)!.CurrentAvailablePermits);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Tokens_RejectedRequest_DoesNotUseUpARequestPermit()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient();
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 5, TokensPerWindow = 10, Window = Window, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);

        await client.GetResponseAsync(new string('x', 40));
        await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync(new string('x', 40)));

        Assert.Equal(4, policy.GetRequestStatistics(DefaultKey)!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task Tokens_AfterAResponse_AreChargedTheReportedUsageInsteadOfTheEstimate()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("short").WithUsage(input: 7, output: 3));
        using var policy = new RateLimitPolicy(new RateLimitOptions { TokensPerWindow = 100, Window = Window, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);

        await client.GetResponseAsync(new string('x', 200));

        Assert.Equal(90, policy.GetTokenStatistics(DefaultKey)!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task Tokens_Streaming_AreCorrectedFromTheUsageUpdateAtTheEnd()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b").WithUsage(input: 5, output: 15));
        using var policy = new RateLimitPolicy(new RateLimitOptions { TokensPerWindow = 100, Window = Window, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);
        var availableDuringStream = new List<long>();

        await foreach (var update in client.GetStreamingResponseAsync(new string('x', 200)))
        {
            availableDuringStream.Add(policy.GetTokenStatistics(DefaultKey)!.CurrentAvailablePermits);
        }

        Assert.Equal([50, 50, 50], availableDuringStream);
        Assert.Equal(80, policy.GetTokenStatistics(DefaultKey)!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task Tokens_UnderEstimated_BecomeDebtThatDelaysLaterWindows()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("long answer").WithUsage(input: 10, output: 240), ScriptedTurn.FromText("ok"));
        using var policy = new RateLimitPolicy(new RateLimitOptions { TokensPerWindow = 100, Window = Window, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);

        await client.GetResponseAsync("hi");
        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync("hi"));
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);

        time.Advance(Window);
        await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync("hi"));
        time.Advance(Window);
        await client.GetResponseAsync("hi");
        Assert.Equal(49, policy.GetTokenStatistics(DefaultKey)!.CurrentAvailablePermits);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Tokens_CustomEstimator_IsUsedBeforeTheRequest()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient();
        using var policy = new RateLimitPolicy(new RateLimitOptions
        {
            TokensPerWindow = 1000,
            Window = Window,
            TimeProvider = time,
            TokenEstimator = (messages, options) => 600 + (options?.MaxOutputTokens ?? 0),
        });
        using var client = new RateLimitingChatClient(inner, policy);

        await client.GetResponseAsync("x", new ChatOptions { MaxOutputTokens = 100 });
        Assert.Equal(300, policy.GetTokenStatistics(DefaultKey)!.CurrentAvailablePermits);
        await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync("x"));
    }

    [Fact]
    public async Task ProviderRetryAfter_On429_PausesThePartitionAndRejectsUntilItPasses()
    {
        var time = new FakeTimeProvider();
        var throttled = new ProviderException("openai", HttpStatusCode.TooManyRequests, "rate_limit_exceeded", "slow down", TimeSpan.FromSeconds(20));
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(throttled), ScriptedTurn.FromText("ok"));
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 100, Window = Window, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);

        Assert.Same(throttled, await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("one")));
        time.Advance(TimeSpan.FromSeconds(5));
        var refused = await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync("two"));
        var otherUser = await client.GetResponseAsync("three", new ChatOptions { AdditionalProperties = new() { ["user"] = "bob" } });
        time.Advance(TimeSpan.FromSeconds(15));
        var afterPause = await client.GetResponseAsync("four");

        Assert.Equal(RateLimitReason.ProviderRetryAfter, refused.Reason);
        Assert.Equal(TimeSpan.FromSeconds(15), refused.RetryAfter);
        Assert.Equal("ok", otherUser.Text);
        Assert.Equal("ok", afterPause.Text);
        Assert.Equal(["one", "three", "four"], inner.Calls.Select(c => c.LastUserText));
        Assert.Null(policy.GetPause(DefaultKey));
    }

    [Fact]
    public async Task ProviderRetryAfter_InQueueMode_StreamWaitsUntilThePauseEnds()
    {
        var time = new FakeTimeProvider();
        var throttled = new ProviderException("openai", HttpStatusCode.TooManyRequests, "rate_limit_exceeded", "slow down", TimeSpan.FromSeconds(20));
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(throttled), ScriptedTurn.FromText("o", "k"));
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 100, Window = Window, QueueLimit = 10, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);

        await Assert.ThrowsAsync<ProviderException>(() => TestKernels.ToListAsync(client.GetStreamingResponseAsync("one")));
        var waiting = TestKernels.ToListAsync(client.GetStreamingResponseAsync("two"));
        time.Advance(TimeSpan.FromSeconds(19));

        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, inner.CallCount);
        time.Advance(TimeSpan.FromSeconds(1));
        var updates = await Eventually.Within(waiting);
        Assert.Equal("ok", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task ProviderRetryAfter_LongerThanTheCap_PausesOnlyForTheCap()
    {
        var time = new FakeTimeProvider();
        var throttled = new ProviderException("openai", HttpStatusCode.TooManyRequests, "rate_limit_exceeded", "slow down", TimeSpan.FromHours(2));
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(throttled), ScriptedTurn.FromText("ok"));
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 100, MaxRetryAfterPause = TimeSpan.FromSeconds(30), TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);

        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("one"));

        Assert.Equal(TimeSpan.FromSeconds(30), policy.GetPause(DefaultKey));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("ok", (await client.GetResponseAsync("two")).Text);
    }

    [Fact]
    public async Task ProviderErrors_Without429_DoNotPause()
    {
        var time = new FakeTimeProvider();
        var failure = new ProviderException("openai", HttpStatusCode.ServiceUnavailable, "server_error", "down", TimeSpan.FromSeconds(20));
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(failure), ScriptedTurn.FromText("ok"));
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 100, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);

        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("one"));

        Assert.Null(policy.GetPause(DefaultKey));
        Assert.Equal("ok", (await client.GetResponseAsync("two")).Text);
    }

    [Fact]
    public async Task Streaming_WhenRejected_ThrowsBeforeTheProviderIsCalled()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b"));
        using var policy = new RateLimitPolicy(new RateLimitOptions { RequestsPerWindow = 1, Window = Window, TimeProvider = time });
        using var client = new RateLimitingChatClient(inner, policy);

        var first = await TestKernels.ToListAsync(client.GetStreamingResponseAsync("one"));
        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => TestKernels.ToListAsync(client.GetStreamingResponseAsync("two")));

        Assert.Equal("ab", string.Concat(first.Select(u => u.Text)));
        Assert.Equal(RateLimitReason.Requests, error.Reason);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task ChatClientBuilder_UseAiAllinRateLimit_LimitsTheBuiltClient()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient();
        using var client = new ChatClientBuilder(inner).UseAiAllinRateLimit(o =>
        {
            o.RequestsPerWindow = 1;
            o.TimeProvider = time;
        }).Build();

        await client.GetResponseAsync("one");
        await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync("two"));
        Assert.NotNull(client.GetService<RateLimitingChatClient>());
    }

    [Theory]
    [InlineData(null, null, 60, 0, 4, "RequestsPerWindow or TokensPerWindow")]
    [InlineData(0, null, 60, 0, 4, "RequestsPerWindow")]
    [InlineData(null, 0L, 60, 0, 4, "TokensPerWindow")]
    [InlineData(1, null, 0, 0, 4, "Window")]
    [InlineData(1, null, 60, -1, 4, "QueueLimit")]
    [InlineData(1, null, 60, 0, 0, "CharactersPerToken")]
    public void Options_OutOfRange_AreRejectedNamingTheSetting(int? requests, long? tokens, int windowSeconds, int queueLimit, int charsPerToken, string setting)
    {
        var options = new RateLimitOptions
        {
            RequestsPerWindow = requests,
            TokensPerWindow = tokens,
            Window = TimeSpan.FromSeconds(windowSeconds),
            QueueLimit = queueLimit,
            CharactersPerToken = charsPerToken,
        };

        var error = Assert.Throws<ArgumentException>(() => new RateLimitPolicy(options));
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ChatClientBuilder(new ScriptedChatClient()).UseAiAllinRateLimit(o =>
        {
            o.RequestsPerWindow = requests;
            o.TokensPerWindow = tokens;
            o.Window = options.Window;
            o.QueueLimit = queueLimit;
            o.CharactersPerToken = charsPerToken;
        }));
    }
}
