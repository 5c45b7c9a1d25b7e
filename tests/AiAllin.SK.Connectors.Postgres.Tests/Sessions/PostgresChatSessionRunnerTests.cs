using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.Core.Streaming;
using AiAllin.SK.Testing.Servers;
using AiAllin.SK.Testing.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Postgres.Tests.Sessions;

public sealed class PostgresChatSessionRunnerTests
{
    private static Kernel Kernel(IChatClient model)
    {
        var builder = Microsoft.SemanticKernel.Kernel.CreateBuilder();
        builder.Services.AddSingleton(model);
        return builder.Build();
    }

    [PostgresFact]
    public async Task ConcurrentTurnsOnOneSession_InOneRunner_AreStoredOneAfterTheOtherEachWhole()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var model = new ScriptedChatClient();
        var runner = new ChatSessionRunner(Kernel(model), store);
        var session = await store.CreateAsync(new() { OwnerId = "owner" });

        var turns = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => runner.RunStreamAsync(session.Id, $"turn {i}", _ => { })));

        Assert.Equal([2L, 4, 6, 8, 10, 12], turns.Select(t => t.Version).Order());
        var stored = (await store.GetAsync(session.Id))!.Messages;
        Assert.Equal(12, stored.Count);
        for (var i = 0; i < stored.Count; i += 2)
        {
            Assert.Equal(ChatRole.User, stored[i].Role);
            Assert.Equal($"You said: {stored[i].Text}", stored[i + 1].Text);
        }

        // Each turn saw every earlier turn: the requests grew by two messages each time.
        Assert.Equal([1, 3, 5, 7, 9, 11], model.Requests.Select(r => r.Messages.Count));
    }

    [PostgresFact]
    public async Task TurnsFromTwoProcessesOnOneSession_OneFailsWithAConcurrencyErrorAndNothingInterleaves()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var storeA = db.CreateStore();
        await using var storeB = db.CreateStore();
        var session = await storeA.CreateAsync(new() { OwnerId = "owner" });
        var model = new ScriptedChatClient();
        using var bothInModel = new CountdownEvent(2);
        var release = new TaskCompletionSource();
        model.BeforeResponse = async () =>
        {
            bothInModel.Signal();
            await release.Task;
        };
        var a = new ChatSessionRunner(Kernel(model), storeA);
        var b = new ChatSessionRunner(Kernel(model), storeB);

        var first = Capture(a.RunStreamAsync(session.Id, "from a", _ => { }));
        var second = Capture(b.RunStreamAsync(session.Id, "from b", _ => { }));
        Assert.True(bothInModel.Wait(TimeSpan.FromSeconds(30)));
        release.SetResult();
        var outcomes = await Task.WhenAll(first, second);

        Assert.Single(outcomes, o => o is null);
        Assert.IsType<ChatHistoryConcurrencyException>(Assert.Single(outcomes, o => o is not null));
        var stored = (await storeA.GetAsync(session.Id))!;
        Assert.Equal(2, stored.Info.Version);
        Assert.Equal(stored.Messages[0].Text == "from a" ? ["from a", "You said: from a"] : ["from b", "You said: from b"], stored.Messages.Select(m => m.Text));
    }

    [PostgresFact]
    public async Task AFailedStream_LeavesTheStoredSessionUnchanged()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        await store.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, "kept")]);
        var runner = new ChatSessionRunner(Kernel(new BrokenStream()), store);

        var ex = await Assert.ThrowsAsync<ChatStreamException>(() => runner.RunStreamAsync(session.Id, "lost", _ => { }));

        Assert.Equal("partial ", ex.PartialText);
        Assert.Equal([1L], await db.SequencesAsync(session.Id));
        Assert.Equal(["kept"], (await store.GetAsync(session.Id))!.Messages.Select(m => m.Text));
    }

    private static async Task<Exception?> Capture(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private sealed class BrokenStream : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "partial ");
            throw new HttpRequestException("The response ended prematurely.");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("broken") : null;

        public void Dispose()
        {
        }
    }
}
