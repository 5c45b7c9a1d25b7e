using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.Resilience;
using AiAllin.SK.Filters.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AiAllin.SK.Filters.Tests.Resilience;

public sealed class SecretRedactionTests
{
    private const string Key = "sk-proj-Q9xLmT4vWb8Zr2Kd7Hs1Np6F";

    [Fact]
    public async Task MappedTransportFailure_NeverShowsTheKey()
    {
        var logger = new FakeLogger<RetryPolicy>();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(new HttpRequestException($"GET https://proxy.local/v1/chat?api_key={Key} failed: Authorization: Bearer {Key}")));
        using var client = new RetryingChatClient(inner, new RetryPolicy(new RetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.Zero, TimeProvider = new FakeTimeProvider() }, logger));

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(logger.Collector.GetSnapshot());
        Assert.All(logger.Collector.GetSnapshot(), r => Assert.DoesNotContain(Key, r.Message + r.Exception, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StreamInterrupted_NeverShowsTheKeyOfTheUnderlyingFailure()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b") with { Error = new IOException($"connection reset (x-api-key: {Key})"), FailAfter = 1 });
        using var client = new RetryingChatClient(inner, new RetryPolicy(new RetryOptions { TimeProvider = new FakeTimeProvider() }));

        var error = await Assert.ThrowsAsync<StreamInterruptedException>(() => TestKernels.ToListAsync(client.GetStreamingResponseAsync("hi")));

        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("connection reset", error.Message, StringComparison.Ordinal);
    }
}
