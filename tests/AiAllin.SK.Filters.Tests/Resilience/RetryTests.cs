using System.Globalization;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.Resilience;
using AiAllin.SK.Filters.Tests.RateLimiting;
using AiAllin.SK.Filters.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AiAllin.SK.Filters.Tests.Resilience;

public sealed class RetryTests
{
    private const int RetryScheduledEventId = AiAllinEventIds.RetryScheduled;

    private static RetryingChatClient Create(IChatClient inner, FakeTimeProvider time, FakeLogger<RetryPolicy>? logger = null, Action<RetryOptions>? configure = null)
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.Zero, TimeProvider = time };
        configure?.Invoke(options);
        return new RetryingChatClient(inner, new RetryPolicy(options, logger));
    }

    [Fact]
    public async Task GetResponse_TransientFailures_AreRetriedUntilSuccessAndCounted()
    {
        var logger = new FakeLogger<RetryPolicy>();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()), ScriptedTurn.Throw(Failures.Unavailable()), ScriptedTurn.FromText("ok"));
        using var client = Create(inner, new FakeTimeProvider(), logger);

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("ok", response.Text);
        Assert.Equal(3, inner.CallCount);
        var retries = logger.Collector.GetSnapshot().Where(r => r.Id.Id == RetryScheduledEventId).ToList();
        Assert.Equal(2, retries.Count);
        Assert.Equal(["1", "2"], retries.Select(r => r.GetStructuredStateValue("Attempt")));
        Assert.All(retries, r => Assert.Equal("scripted", r.GetStructuredStateValue("Provider")));
    }

    [Fact]
    public async Task GetResponse_NonTransientFailure_IsNotRetried()
    {
        var failure = Failures.BadRequest();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(failure), ScriptedTurn.FromText("ok"));
        using var client = Create(inner, new FakeTimeProvider());

        Assert.Same(failure, await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi")));
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task GetResponse_AfterMaxRetries_ThrowsTheLastFailure()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        using var client = Create(inner, new FakeTimeProvider(), configure: o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.True(error.IsTransient);
        Assert.Equal(3, inner.CallCount);
    }

    [Fact]
    public async Task GetResponse_HttpRequestExceptionOfTheInnerClient_BecomesATransientProviderException()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(new HttpRequestException("connection refused")));
        using var client = Create(inner, new FakeTimeProvider(), configure: o => o.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.True(error.IsTransient);
        Assert.Equal("scripted", error.Provider);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_TimeoutOfTheInnerClient_IsMappedAndRetried()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(new TaskCanceledException("The request timed out")), ScriptedTurn.FromText("ok"));
        using var client = Create(inner, new FakeTimeProvider());

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task GetResponse_OtherExceptions_PassUnchangedWithoutRetry()
    {
        var failure = new InvalidOperationException("bug");
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(failure));
        using var client = Create(inner, new FakeTimeProvider());

        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("hi")));
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task GetResponse_CallerCancellation_IsNeitherRetriedNorMapped()
    {
        var inner = new ScriptedChatClient(new ScriptedTurn { StallAfter = 0 });
        using var client = Create(inner, new FakeTimeProvider());
        using var cts = new CancellationTokenSource();

        var call = client.GetResponseAsync("hi", cancellationToken: cts.Token);
        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(call));
        Assert.IsNotType<ProviderException>(error);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task GetResponse_WithRetryAfter_WaitsExactlyThatLong()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Throttled(TimeSpan.FromSeconds(5))), ScriptedTurn.FromText("ok"));
        using var client = Create(inner, time, configure: o => o.BaseDelay = TimeSpan.FromMilliseconds(100));

        var call = client.GetResponseAsync("hi");
        time.Advance(TimeSpan.FromMilliseconds(4900));
        Assert.Equal(1, inner.CallCount);
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal("ok", (await Eventually.Within(call)).Text);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task GetResponse_WithRetryAfterLongerThanTheCap_FailsAtOnce()
    {
        var logger = new FakeLogger<RetryPolicy>();
        var throttled = Failures.Throttled(TimeSpan.FromMinutes(10));
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(throttled), ScriptedTurn.FromText("ok"));
        using var client = Create(inner, new FakeTimeProvider(), logger, o => o.MaxRetryAfter = TimeSpan.FromSeconds(30));

        Assert.Same(throttled, await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi")));
        Assert.Equal(1, inner.CallCount);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == AiAllinEventIds.RetryNotAttempted);
    }

    private static async Task<List<TimeSpan>> RetryDelaysAsync(Action<RetryOptions> configure, int failures)
    {
        var time = new FakeTimeProvider();
        var logger = new FakeLogger<RetryPolicy>();
        var turns = Enumerable.Repeat(ScriptedTurn.Throw(Failures.Unavailable()), failures).Append(ScriptedTurn.FromText("ok")).ToArray();
        var inner = new ScriptedChatClient(turns);
        using var client = Create(inner, time, logger, o =>
        {
            o.MaxRetries = failures;
            configure(o);
        });

        var response = await Failures.AdvanceUntilDoneAsync(time, client.GetResponseAsync("hi"), TimeSpan.FromMilliseconds(250));

        Assert.Equal("ok", response.Text);
        return [.. logger.Collector.GetSnapshot()
            .Where(r => r.Id.Id == RetryScheduledEventId)
            .Select(r => TimeSpan.Parse(r.GetStructuredStateValue("Delay")!, CultureInfo.InvariantCulture))];
    }

    [Fact]
    public async Task Backoff_WithoutJitter_IsPollysExponentialBackoff_CappedAtMaxDelay()
    {
        var delays = await RetryDelaysAsync(
            o =>
            {
                o.BaseDelay = TimeSpan.FromSeconds(1);
                o.MaxDelay = TimeSpan.FromSeconds(5);
                o.UseJitter = false;
            },
            failures: 5);

        Assert.Equal([1, 2, 4, 5, 5], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task Backoff_WithJitter_VariesAndStaysWithinTheCap()
    {
        var delays = await RetryDelaysAsync(
            o =>
            {
                o.BaseDelay = TimeSpan.FromMilliseconds(200);
                o.MaxDelay = TimeSpan.FromSeconds(2);
            },
            failures: 8);

        Assert.Equal(8, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(2)));
        Assert.True(delays.Distinct().Count() > 1, "jittered delays should differ");
        Assert.NotEqual(delays.Take(3).Select(d => d.TotalMilliseconds), [200d, 400d, 800d]);
    }

    [Fact]
    public async Task Streaming_FailureBeforeTheFirstUpdate_IsRetried()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()), ScriptedTurn.FromText("a", "b"));
        using var client = Create(inner, new FakeTimeProvider());

        var updates = await TestKernels.ToListAsync(client.GetStreamingResponseAsync("hi"));

        Assert.Equal("ab", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(2, inner.CallCount);
        Assert.All(inner.Calls, c => Assert.True(c.Streaming));
    }

    [Fact]
    public async Task Streaming_FailureAfterDeliveredUpdates_IsNotRetriedAndSaysHowManyWereDelivered()
    {
        var failure = Failures.Unavailable();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b", "c") with { Error = failure, FailAfter = 2 }, ScriptedTurn.FromText("again"));
        using var client = Create(inner, new FakeTimeProvider());
        var received = new List<string>();

        var error = await Assert.ThrowsAsync<StreamInterruptedException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["a", "b"], received);
        Assert.Equal(2, error.DeliveredUpdates);
        Assert.Same(failure, error.InnerException);
        Assert.False(error.IsTransient);
        Assert.Equal("scripted", error.Provider);
        Assert.Contains("2 update(s) were delivered", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task Streaming_NonRetriableFailureMidStream_PassesUnchanged()
    {
        var malformed = new ProviderStreamException("scripted", "{not json", 3, "event", null);
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b") with { Error = malformed, FailAfter = 1 });
        using var client = Create(inner, new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<ProviderStreamException>(() => TestKernels.ToListAsync(client.GetStreamingResponseAsync("hi")));

        Assert.Same(malformed, error);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task Streaming_WithRetryAfterBeforeTheFirstUpdate_WaitsThenStreams()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Throttled(TimeSpan.FromSeconds(3))), ScriptedTurn.FromText("x", "y"));
        using var client = Create(inner, time);

        var stream = TestKernels.ToListAsync(client.GetStreamingResponseAsync("hi"));
        time.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.Equal(1, inner.CallCount);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("xy", string.Concat((await Eventually.Within(stream)).Select(u => u.Text)));
    }

    [Fact]
    public async Task ChatClientBuilder_UseAiAllinRetry_RetriesTheBuiltClient()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()), ScriptedTurn.FromText("ok"));
        using var client = new ChatClientBuilder(inner).UseAiAllinRetry(o =>
        {
            o.BaseDelay = TimeSpan.Zero;
            o.TimeProvider = new FakeTimeProvider();
        }).Build();

        Assert.Equal("ok", (await client.GetResponseAsync("hi")).Text);
        Assert.Equal(2, inner.CallCount);
    }

    [Theory]
    [InlineData(-1, 1, 30, 30, "MaxRetries")]
    [InlineData(3, -1, 30, 30, "BaseDelay")]
    [InlineData(3, 10, 5, 30, "MaxDelay")]
    [InlineData(3, 1, 30, -1, "MaxRetryAfter")]
    public void Options_OutOfRange_AreRejectedNamingTheSetting(int maxRetries, int baseSeconds, int maxSeconds, int maxRetryAfterSeconds, string setting)
    {
        var options = new RetryOptions
        {
            MaxRetries = maxRetries,
            BaseDelay = TimeSpan.FromSeconds(baseSeconds),
            MaxDelay = TimeSpan.FromSeconds(maxSeconds),
            MaxRetryAfter = TimeSpan.FromSeconds(maxRetryAfterSeconds),
        };

        var error = Assert.Throws<ArgumentException>(() => new RetryPolicy(options));
        Assert.Contains("RetryOptions." + setting, error.Message, StringComparison.Ordinal);
    }
}
