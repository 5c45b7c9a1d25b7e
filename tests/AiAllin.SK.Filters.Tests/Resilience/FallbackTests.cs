using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.Resilience;
using AiAllin.SK.Filters.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Testing;

namespace AiAllin.SK.Filters.Tests.Resilience;

public sealed class FallbackTests
{
    [Fact]
    public async Task GetResponse_PrimaryFails_TheFallbackClientAnswersTheSameRequest()
    {
        var logger = new FakeLogger<FallbackPolicy>();
        var primary = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var backup = new ScriptedChatClient(ScriptedTurn.FromText("from backup")) { Metadata = new ChatClientMetadata("backup", null, "backup-model") };
        using var client = new FallbackChatClient(primary, new FallbackPolicy(new FallbackOptions { FallbackClient = backup }, logger));
        var options = new ChatOptions { Temperature = 0.2f };

        var response = await client.GetResponseAsync("question", options);

        Assert.Equal("from backup", response.Text);
        Assert.Equal(1, primary.CallCount);
        Assert.Equal("question", backup.Calls.Single().LastUserText);
        Assert.Same(options, backup.Calls.Single().Options);
        var log = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == AiAllinEventIds.FallbackUsed);
        Assert.Equal("backup", log.GetStructuredStateValue("FallbackProvider"));
    }

    [Fact]
    public async Task GetResponse_WithFallbackModel_RetriesTheSameClientWithThatModel()
    {
        var primary = new ScriptedChatClient(call => call.Options?.ModelId == "small-model" ? ScriptedTurn.FromText("small") : ScriptedTurn.Throw(Failures.Unavailable()));
        using var client = new FallbackChatClient(primary, new FallbackPolicy(new FallbackOptions { FallbackModelId = "small-model" }));
        var options = new ChatOptions { ModelId = "big-model" };

        var response = await client.GetResponseAsync("hi", options);

        Assert.Equal("small", response.Text);
        Assert.Equal(["big-model", "small-model"], primary.Calls.Select(c => c.Options?.ModelId));
        Assert.Equal("big-model", options.ModelId);
    }

    [Fact]
    public async Task GetResponse_TransportFailure_IsMappedAndFallsBack()
    {
        var primary = new ScriptedChatClient(ScriptedTurn.Throw(new HttpRequestException("reset")));
        var backup = new ScriptedChatClient(ScriptedTurn.FromText("ok"));
        using var client = new FallbackChatClient(primary, new FallbackPolicy(new FallbackOptions { FallbackClient = backup }));

        Assert.Equal("ok", (await client.GetResponseAsync("hi")).Text);
    }

    [Fact]
    public async Task GetResponse_NonProviderError_DoesNotFallBack()
    {
        var bug = new InvalidOperationException("bug");
        var primary = new ScriptedChatClient(ScriptedTurn.Throw(bug));
        var backup = new ScriptedChatClient();
        using var client = new FallbackChatClient(primary, new FallbackPolicy(new FallbackOptions { FallbackClient = backup }));

        Assert.Same(bug, await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("hi")));
        Assert.Equal(0, backup.CallCount);
    }

    [Fact]
    public async Task GetResponse_CustomPredicate_DecidesWhatFallsBack()
    {
        var primary = new ScriptedChatClient(ScriptedTurn.Throw(Failures.BadRequest()));
        var backup = new ScriptedChatClient();
        using var client = new FallbackChatClient(primary, new FallbackPolicy(new FallbackOptions
        {
            FallbackClient = backup,
            ShouldFallback = e => e is ProviderException { IsTransient: true },
        }));

        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));
        Assert.Equal(0, backup.CallCount);
    }

    [Fact]
    public async Task GetResponse_BothFail_TheFallbackFailureSurfaces()
    {
        var second = Failures.BadRequest();
        var primary = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var backup = new ScriptedChatClient(ScriptedTurn.Throw(second));
        using var client = new FallbackChatClient(primary, new FallbackPolicy(new FallbackOptions { FallbackClient = backup }));

        Assert.Same(second, await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi")));
    }

    [Fact]
    public async Task GetResponse_CallerCancellation_DoesNotFallBack()
    {
        var primary = new ScriptedChatClient(new ScriptedTurn { StallAfter = 0 });
        var backup = new ScriptedChatClient();
        using var client = new FallbackChatClient(primary, new FallbackPolicy(new FallbackOptions { FallbackClient = backup }));
        using var cts = new CancellationTokenSource();

        var call = client.GetResponseAsync("hi", cancellationToken: cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, backup.CallCount);
    }

    [Fact]
    public async Task Streaming_FailureBeforeTheFirstUpdate_StreamsFromTheFallback()
    {
        var primary = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var backup = new ScriptedChatClient(ScriptedTurn.FromText("b1", "b2"));
        using var client = new FallbackChatClient(primary, new FallbackPolicy(new FallbackOptions { FallbackClient = backup }));

        var updates = await TestKernels.ToListAsync(client.GetStreamingResponseAsync("hi"));

        Assert.Equal(["b1", "b2"], updates.Select(u => u.Text));
        Assert.True(backup.Calls.Single().Streaming);
        Assert.Equal(0, primary.ActiveStreams);
    }

    [Fact]
    public async Task Streaming_FailureAfterDeliveredUpdates_DoesNotFallBack()
    {
        var failure = Failures.Unavailable();
        var primary = new ScriptedChatClient(ScriptedTurn.FromText("p1", "p2") with { Error = failure, FailAfter = 1 });
        var backup = new ScriptedChatClient(ScriptedTurn.FromText("b1"));
        using var client = new FallbackChatClient(primary, new FallbackPolicy(new FallbackOptions { FallbackClient = backup }));
        var received = new List<string>();

        var error = await Assert.ThrowsAsync<StreamInterruptedException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["p1"], received);
        Assert.Equal(1, error.DeliveredUpdates);
        Assert.Same(failure, error.InnerException);
        Assert.Equal(0, backup.CallCount);
    }

    [Fact]
    public void Options_WithoutAFallback_AreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new FallbackPolicy(new FallbackOptions()));
        Assert.Contains("FallbackClient, FallbackClientKey or FallbackModelId", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FallbackPolicy(new FallbackOptions { FallbackClient = new ScriptedChatClient(), FallbackClientKey = "k" }));
        Assert.Throws<ArgumentException>(() => new ChatClientBuilder(new ScriptedChatClient()).UseAiAllinFallback(_ => { }));
    }

    [Fact]
    public async Task ChatClientBuilder_UseAiAllinFallback_FallsBackInTheBuiltClient()
    {
        var primary = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var backup = new ScriptedChatClient(ScriptedTurn.FromText("ok"));
        using var client = new ChatClientBuilder(primary).UseAiAllinFallback(o => o.FallbackClient = backup).Build();

        Assert.Equal("ok", (await client.GetResponseAsync("hi")).Text);
    }
}
