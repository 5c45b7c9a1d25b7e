using AiAllin.SK.Filters.Tests.TestSupport;
using AiAllin.SK.Filters.Timeouts;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Tests.Resilience;

/// <summary>How retry, fallback and the circuit breaker treat a <see cref="ChatTimeoutException"/> of an inner timeout layer.</summary>
public sealed class TimeoutResilienceTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Retry_DoesNotRetryATimeout_ItSurfacesAsItself()
    {
        var inner = new ScriptedChatClient(new ScriptedTurn { StallAfter = 0 }, ScriptedTurn.FromText("late"));
        using var client = new ChatClientBuilder(inner).UseAiAllinRetry(o => o.BaseDelay = TimeSpan.Zero).UseAiAllinTimeout(Limit).Build();

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() => client.GetResponseAsync("hi").WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(TimeoutLimit.Total, error.Limit);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task Retry_WithAPredicateThatRetriesTimeouts_RetriesThem()
    {
        var inner = new ScriptedChatClient(new ScriptedTurn { StallAfter = 0 }, ScriptedTurn.FromText("second try"));
        using var client = new ChatClientBuilder(inner)
            .UseAiAllinRetry(o =>
            {
                o.BaseDelay = TimeSpan.Zero;
                o.ShouldRetry = ex => ex is ChatTimeoutException;
            })
            .UseAiAllinTimeout(Limit)
            .Build();

        var response = await client.GetResponseAsync("hi").WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("second try", response.Text);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Fallback_FallsBackOnATimeoutOfThePrimary()
    {
        var primary = new ScriptedChatClient(new ScriptedTurn { StallAfter = 0 });
        var backup = new ScriptedChatClient(ScriptedTurn.FromText("from backup"));
        using var client = new ChatClientBuilder(primary).UseAiAllinFallback(o => o.FallbackClient = backup).UseAiAllinTimeout(Limit).Build();

        var response = await client.GetResponseAsync("hi").WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("from backup", response.Text);
        Assert.Equal(1, backup.CallCount);
    }
}
