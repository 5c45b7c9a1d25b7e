using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.RateLimiting;
using AiAllin.SK.Filters.Resilience;
using AiAllin.SK.Filters.Tests.RateLimiting;
using AiAllin.SK.Filters.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Tests.Resilience;

/// <summary>The order written in AddAiAllinFilters (or on a ChatClientBuilder) is the order the policies run.</summary>
public sealed class CompositionTests
{
    private const string DefaultKey = "scripted/scripted-model/";

    [Fact]
    public async Task RetryOutsideRateLimit_EveryAttemptUsesARequestPermit()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()), ScriptedTurn.FromText("ok"));
        var kernel = TestKernels.Create(inner, f => f
            .UseRetry(o => { o.BaseDelay = TimeSpan.Zero; o.TimeProvider = time; })
            .UseRateLimit(o => { o.RequestsPerWindow = 5; o.TimeProvider = time; }));

        await kernel.InvokePromptAsync("hi");

        Assert.Equal(3, kernel.Services.GetRequiredService<RateLimitPolicy>().GetRequestStatistics(DefaultKey)!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task RetryInsideRateLimit_TheWholeRetriedCallUsesOnePermit()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()), ScriptedTurn.FromText("ok"));
        var kernel = TestKernels.Create(inner, f => f
            .UseRateLimit(o => { o.RequestsPerWindow = 5; o.TimeProvider = time; })
            .UseRetry(o => { o.BaseDelay = TimeSpan.Zero; o.TimeProvider = time; }));

        await kernel.InvokePromptAsync("hi");

        Assert.Equal(2, inner.CallCount);
        Assert.Equal(4, kernel.Services.GetRequiredService<RateLimitPolicy>().GetRequestStatistics(DefaultKey)!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task RetryOutsideRateLimit_A429PausesThePartition_AndTheRetryWaitsItsRetryAfter()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Throttled(TimeSpan.FromSeconds(2))), ScriptedTurn.FromText("o", "k"));
        using var client = new ChatClientBuilder(inner)
            .UseAiAllinRetry(o => { o.BaseDelay = TimeSpan.Zero; o.TimeProvider = time; })
            .UseAiAllinRateLimit(o => { o.RequestsPerWindow = 100; o.TimeProvider = time; })
            .Build();

        var stream = TestKernels.ToListAsync(client.GetStreamingResponseAsync("hi"));
        Assert.Equal(1, inner.CallCount);
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("ok", string.Concat((await Eventually.Within(stream)).Select(u => u.Text)));
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task RetryOutsideRateLimit_ARejectionIsRetriedWhenTheWindowHasRoom()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("answer " + call.Index));
        using var client = new ChatClientBuilder(inner)
            .UseAiAllinRetry(o => { o.MaxRetryAfter = TimeSpan.FromMinutes(2); o.TimeProvider = time; })
            .UseAiAllinRateLimit(o => { o.RequestsPerWindow = 1; o.TimeProvider = time; })
            .Build();

        await client.GetResponseAsync("one");
        var second = client.GetResponseAsync("two");
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("answer 1", (await Eventually.Within(second)).Text);
    }

    [Fact]
    public async Task RateLimitOutsideRetry_RejectsBeforeAnyAttempt()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient();
        using var client = new ChatClientBuilder(inner)
            .UseAiAllinRateLimit(o => { o.RequestsPerWindow = 1; o.TimeProvider = time; })
            .UseAiAllinRetry(o => { o.MaxRetryAfter = TimeSpan.FromMinutes(2); o.TimeProvider = time; })
            .Build();

        await client.GetResponseAsync("one");

        await Assert.ThrowsAsync<RateLimitExceededException>(() => client.GetResponseAsync("two"));
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task RetryOutsideCircuitBreaker_WaitsForTheBreakAndTheProbeSucceeds()
    {
        var time = new FakeTimeProvider();
        var failure = ScriptedTurn.Throw(Failures.Unavailable());
        var inner = new ScriptedChatClient(failure, failure, ScriptedTurn.FromText("recovered"));
        using var client = new ChatClientBuilder(inner)
            .UseAiAllinRetry(o => { o.MaxRetries = 3; o.BaseDelay = TimeSpan.Zero; o.MaxRetryAfter = TimeSpan.FromMinutes(1); o.TimeProvider = time; })
            .UseAiAllinCircuitBreaker(o => { o.MinimumThroughput = 2; o.BreakDuration = TimeSpan.FromSeconds(30); o.TimeProvider = time; })
            .Build();

        var call = client.GetResponseAsync("hi");
        Assert.Equal(2, inner.CallCount);
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal("recovered", (await Eventually.Within(call)).Text);
        Assert.Equal(3, inner.CallCount);
    }

    [Fact]
    public async Task RetryOutsideCircuitBreaker_BreakLongerThanMaxRetryAfter_FailsWithTheOpenCircuit()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        using var client = new ChatClientBuilder(inner)
            .UseAiAllinRetry(o => { o.MaxRetries = 5; o.BaseDelay = TimeSpan.Zero; o.MaxRetryAfter = TimeSpan.FromSeconds(5); o.TimeProvider = time; })
            .UseAiAllinCircuitBreaker(o => { o.MinimumThroughput = 2; o.BreakDuration = TimeSpan.FromSeconds(30); o.TimeProvider = time; })
            .Build();

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal("circuit_open", error.ErrorCode);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task FallbackOutsideCircuitBreaker_AnOpenCircuitGoesStraightToTheFallback()
    {
        var time = new FakeTimeProvider();
        var primary = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var backup = new ScriptedChatClient(call => ScriptedTurn.FromText("backup " + call.Index));
        using var client = new ChatClientBuilder(primary)
            .UseAiAllinFallback(o => o.FallbackClient = backup)
            .UseAiAllinCircuitBreaker(o => { o.MinimumThroughput = 2; o.TimeProvider = time; })
            .Build();

        await client.GetResponseAsync("1");
        await client.GetResponseAsync("2");
        var third = await TestKernels.ToListAsync(client.GetStreamingResponseAsync("3"));

        Assert.Equal("backup 2", string.Concat(third.Select(u => u.Text)));
        Assert.Equal(2, primary.CallCount);
    }

    [Fact]
    public async Task FallbackOutsideRetry_FallsBackOnlyAfterTheRetriesAreSpent()
    {
        var primary = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var backup = new ScriptedChatClient(ScriptedTurn.FromText("backup"));
        var kernel = TestKernels.Create(primary, f => f
            .UseFallback(o => o.FallbackClient = backup)
            .UseRetry(o => { o.MaxRetries = 2; o.BaseDelay = TimeSpan.Zero; o.TimeProvider = new FakeTimeProvider(); }));

        var result = await kernel.InvokePromptAsync("hi");

        Assert.Equal("backup", result.ToString());
        Assert.Equal(3, primary.CallCount);
        Assert.Equal(1, backup.CallCount);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    public async Task RetryInsideTheToolLoop_DoesNotRunToolsAgain_OutsideItReRunsTheWholeLoop(bool retryInside, int expectedToolRuns)
    {
        var toolRuns = 0;
        var failedOnce = 0;
        var tool = AIFunctionFactory.Create(() => { toolRuns++; return "12:00"; }, "get_time");
        var inner = new ScriptedChatClient(call =>
            call.Messages[^1].Contents.OfType<Microsoft.Extensions.AI.FunctionResultContent>().Any()
                ? Interlocked.Exchange(ref failedOnce, 1) == 0 ? ScriptedTurn.Throw(Failures.Unavailable()) : ScriptedTurn.FromText("It is noon.")
                : ScriptedTurn.ToolCall("get_time"));
        void Retry(RetryOptions o)
        {
            o.BaseDelay = TimeSpan.Zero;
            o.TimeProvider = new FakeTimeProvider();
        }

        var builder = new ChatClientBuilder(inner);
        builder = retryInside ? builder.UseFunctionInvocation().UseAiAllinRetry(Retry) : builder.UseAiAllinRetry(Retry).UseFunctionInvocation();
        using var client = builder.Build();

        var response = await client.GetResponseAsync("What time is it?", new ChatOptions { Tools = [tool] });

        Assert.Equal("It is noon.", response.Text);
        Assert.Equal(expectedToolRuns, toolRuns);
    }
}
