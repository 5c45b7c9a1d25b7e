using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.Resilience;
using AiAllin.SK.Filters.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace AiAllin.SK.Filters.Tests.Resilience;

public sealed class CircuitBreakerTests
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);

    private static CircuitBreakerPolicy Policy(FakeTimeProvider time, FakeLogger<CircuitBreakerPolicy>? logger = null) => new(
        new CircuitBreakerOptions { MinimumThroughput = 2, FailureRatio = 0.5, SamplingDuration = TimeSpan.FromSeconds(10), BreakDuration = BreakDuration, TimeProvider = time },
        logger);

    [Fact]
    public async Task RepeatedTransientFailures_OpenTheCircuit_AndLaterCallsAreRefusedWithoutReachingTheProvider()
    {
        var time = new FakeTimeProvider();
        var logger = new FakeLogger<CircuitBreakerPolicy>();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var policy = Policy(time, logger);
        using var client = new CircuitBreakingChatClient(inner, policy);

        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("1"));
        Assert.Equal(CircuitState.Closed, policy.State);
        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("2"));
        Assert.Equal(CircuitState.Open, policy.State);
        time.Advance(TimeSpan.FromSeconds(10));
        var refused = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("3"));

        Assert.Equal(2, inner.CallCount);
        Assert.Equal("circuit_open", refused.ErrorCode);
        Assert.True(refused.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(20), refused.RetryAfter);
        Assert.IsType<BrokenCircuitException>(refused.InnerException);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == AiAllinEventIds.CircuitOpened && r.GetStructuredStateValue("Provider") == "scripted");
    }

    [Fact]
    public async Task AfterTheBreak_ASuccessfulProbe_ClosesTheCircuit()
    {
        var time = new FakeTimeProvider();
        var failure = ScriptedTurn.Throw(Failures.Unavailable());
        var inner = new ScriptedChatClient(failure, failure, ScriptedTurn.FromText("back"));
        var logger = new FakeLogger<CircuitBreakerPolicy>();
        var policy = Policy(time, logger);
        using var client = new CircuitBreakingChatClient(inner, policy);

        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("1"));
        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("2"));
        time.Advance(BreakDuration - TimeSpan.FromSeconds(1));
        Assert.Equal("circuit_open", (await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("early"))).ErrorCode);
        time.Advance(TimeSpan.FromSeconds(1));
        var probe = await client.GetResponseAsync("probe");

        Assert.Equal("back", probe.Text);
        Assert.Equal(CircuitState.Closed, policy.State);
        Assert.Equal([5520, 5521, 5522], logger.Collector.GetSnapshot().Select(r => r.Id.Id));
        Assert.Equal(["1", "2", "probe"], inner.Calls.Select(c => c.LastUserText));
        Assert.Equal("back", (await client.GetResponseAsync("after")).Text);
    }

    [Fact]
    public async Task AfterTheBreak_AFailedProbe_OpensTheCircuitAgain()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var policy = Policy(time);
        using var client = new CircuitBreakingChatClient(inner, policy);

        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("1"));
        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("2"));
        time.Advance(BreakDuration);
        var probeFailure = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("probe"));
        var refused = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("after"));

        Assert.Equal("server_error", probeFailure.ErrorCode);
        Assert.Equal(CircuitState.Open, policy.State);
        Assert.Equal("circuit_open", refused.ErrorCode);
        Assert.Equal(3, inner.CallCount);
    }

    [Fact]
    public async Task NonTransientFailures_DoNotOpenTheCircuit()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.BadRequest()));
        var policy = Policy(time);
        using var client = new CircuitBreakingChatClient(inner, policy);

        for (var i = 0; i < 5; i++)
        {
            var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("bad"));
            Assert.Equal("invalid_request_error", error.ErrorCode);
        }

        Assert.Equal(CircuitState.Closed, policy.State);
        Assert.Equal(5, inner.CallCount);
    }

    [Fact]
    public async Task Streaming_WhileOpen_IsRefusedBeforeTheProviderIsCalled()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var policy = Policy(time);
        using var client = new CircuitBreakingChatClient(inner, policy);

        await Assert.ThrowsAsync<ProviderException>(() => TestKernels.ToListAsync(client.GetStreamingResponseAsync("1")));
        await Assert.ThrowsAsync<ProviderException>(() => TestKernels.ToListAsync(client.GetStreamingResponseAsync("2")));
        var refused = await Assert.ThrowsAsync<ProviderException>(() => TestKernels.ToListAsync(client.GetStreamingResponseAsync("3")));

        Assert.Equal("circuit_open", refused.ErrorCode);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Streaming_SuccessfulFirstUpdate_CountsAsSuccess_AndALaterFailureIsReportedAsInterrupted()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b") with { Error = Failures.Unavailable(), FailAfter = 1 });
        var policy = Policy(time);
        using var client = new CircuitBreakingChatClient(inner, policy);

        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<StreamInterruptedException>(() => TestKernels.ToListAsync(client.GetStreamingResponseAsync("hi")));
            Assert.Equal(1, error.DeliveredUpdates);
        }

        Assert.Equal(CircuitState.Closed, policy.State);
    }

    [Fact]
    public async Task ChatClientBuilder_UseAiAllinCircuitBreaker_GivesEachBuiltClientItsOwnCircuit()
    {
        var time = new FakeTimeProvider();
        var failing = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var healthy = new ScriptedChatClient(ScriptedTurn.FromText("ok"));
        void Configure(CircuitBreakerOptions o)
        {
            o.MinimumThroughput = 2;
            o.TimeProvider = time;
        }

        using var first = new ChatClientBuilder(failing).UseAiAllinCircuitBreaker(Configure).Build();
        using var second = new ChatClientBuilder(healthy).UseAiAllinCircuitBreaker(Configure).Build();
        await Assert.ThrowsAsync<ProviderException>(() => first.GetResponseAsync("1"));
        await Assert.ThrowsAsync<ProviderException>(() => first.GetResponseAsync("2"));

        Assert.Equal("circuit_open", (await Assert.ThrowsAsync<ProviderException>(() => first.GetResponseAsync("3"))).ErrorCode);
        Assert.Equal("ok", (await second.GetResponseAsync("1")).Text);
    }

    [Theory]
    [InlineData(0.0, 2, 10, 30, "FailureRatio")]
    [InlineData(1.5, 2, 10, 30, "FailureRatio")]
    [InlineData(0.5, 1, 10, 30, "MinimumThroughput")]
    [InlineData(0.5, 2, 0, 30, "SamplingDuration")]
    [InlineData(0.5, 2, 10, 0, "BreakDuration")]
    public void Options_OutOfRange_AreRejectedNamingTheSetting(double ratio, int throughput, int samplingSeconds, int breakSeconds, string setting)
    {
        var options = new CircuitBreakerOptions
        {
            FailureRatio = ratio,
            MinimumThroughput = throughput,
            SamplingDuration = TimeSpan.FromSeconds(samplingSeconds),
            BreakDuration = TimeSpan.FromSeconds(breakSeconds),
        };

        var error = Assert.Throws<ArgumentException>(() => new CircuitBreakerPolicy(options));
        Assert.Contains("CircuitBreakerOptions." + setting, error.Message, StringComparison.Ordinal);
    }
}
