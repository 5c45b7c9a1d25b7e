using AiAllin.SK.Testing.Sessions;
using System.Runtime.CompilerServices;
using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.Core.Streaming;
using AiAllin.SK.Connectors.InMemory.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.InMemory.Tests.Sessions;

public sealed class ChatSessionRunnerTests
{
    private readonly ScriptedChatClient _model = new();
    private readonly List<string> _forecastCalls = [];
    private readonly IChatHistoryStore _store = new InMemoryChatHistoryStore();

    private Kernel BuildKernel(IChatClient? client = null, IChatContextProvider? context = null, bool withTools = true)
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(client ?? _model);
        if (context is not null)
        {
            builder.Services.AddSingleton(context);
        }

        if (withTools)
        {
            builder.Plugins.AddFromFunctions("weather", [
                KernelFunctionFactory.CreateFromMethod((string city) => { _forecastCalls.Add(city); return $"sunny in {city}, 21 C"; }, "get_forecast", "Gets the forecast."),
            ]);
        }

        return builder.Build();
    }

    private async Task<string> SessionAsync(params ChatMessage[] messages)
    {
        var info = await _store.CreateAsync(new() { OwnerId = "owner-" + Guid.NewGuid().ToString("N") });
        await _store.AppendAsync(info.Id, messages);
        return info.Id;
    }

    [Fact]
    public async Task RunStream_WithAToolCall_StreamsEachPhaseAndStoresTheWholeTurnInOneAppend()
    {
        var runner = new ChatSessionRunner(BuildKernel(), _store);
        var sessionId = await SessionAsync(new ChatMessage(ChatRole.System, "You know the weather."));
        var tokens = new List<StreamToken>();

        var result = await runner.RunStreamAsync(sessionId, "Weather in Paris?", tokens.Add);

        Assert.Equal(["Paris"], _forecastCalls);
        Assert.Contains(tokens, t => t.Phase == StreamPhase.ToolCall);
        Assert.Contains(tokens, t => t.Phase == StreamPhase.ToolResult);
        Assert.Equal("Here is the forecast: sunny in Paris, 21 C", string.Concat(tokens.Where(t => t.Phase == StreamPhase.Answer).Select(t => t.Text)));
        Assert.Equal(5, result.Version);
        var stored = (await _store.GetAsync(sessionId))!;
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], stored.Messages.Select(m => m.Role));
        Assert.Equal("Here is the forecast: sunny in Paris, 21 C", stored.Messages[^1].Text);
    }

    [Fact]
    public async Task Run_WithoutStreaming_StoresTheTurn()
    {
        var runner = new ChatSessionRunner(BuildKernel(withTools: false), _store);
        var sessionId = await SessionAsync();

        var result = await runner.RunAsync(sessionId, "Hello");

        Assert.Equal("You said: Hello", result.Text);
        Assert.Equal(2, result.Version);
        Assert.Equal(["Hello", "You said: Hello"], (await _store.GetAsync(sessionId))!.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task TwoConcurrentTurns_InWaitMode_RunOneAfterTheOtherWithoutInterleaving()
    {
        var runner = new ChatSessionRunner(BuildKernel(withTools: false), _store);
        var sessionId = await SessionAsync();
        var firstInModel = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        var calls = 0;
        _model.BeforeResponse = async () =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                firstInModel.SetResult();
                await releaseFirst.Task;
            }
        };

        var first = runner.RunStreamAsync(sessionId, "one", _ => { });
        await firstInModel.Task;
        var second = runner.RunStreamAsync(sessionId, "two", _ => { });
        await Task.Delay(100);
        Assert.Equal(1, Volatile.Read(ref calls));
        releaseFirst.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(["one", "You said: one", "two", "You said: two"], (await _store.GetAsync(sessionId))!.Messages.Select(m => m.Text));
        Assert.Equal(["one", "You said: one", "two"], _model.Requests[1].Messages.Select(m => m.Text));
        Assert.Equal(4, (await second).Version);
    }

    [Fact]
    public async Task TwoConcurrentTurns_InFailMode_TheSecondFailsAtOnceAndWritesNothing()
    {
        var runner = new ChatSessionRunner(BuildKernel(withTools: false), _store, new ChatSessionRunnerOptions { ConcurrentTurns = ConcurrentTurnMode.Fail });
        var sessionId = await SessionAsync();
        var inModel = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        _model.BeforeResponse = async () =>
        {
            inModel.TrySetResult();
            await release.Task;
        };

        var first = runner.RunStreamAsync(sessionId, "one", _ => { });
        await inModel.Task;
        var ex = await Assert.ThrowsAsync<ChatHistoryConcurrencyException>(() => runner.RunStreamAsync(sessionId, "two", _ => { }));
        release.SetResult();
        await first;

        Assert.Contains(sessionId, ex.Message, StringComparison.Ordinal);
        Assert.Single(_model.Requests);
        Assert.Equal(["one", "You said: one"], (await _store.GetAsync(sessionId))!.Messages.Select(m => m.Text));
        Assert.Equal(4, (await runner.RunStreamAsync(sessionId, "three", _ => { })).Version);
    }

    [Fact]
    public async Task TurnsFromTwoRunners_OnOneSession_NeverInterleave()
    {
        var sessionId = await SessionAsync();
        var a = new ChatSessionRunner(BuildKernel(withTools: false), _store);
        var b = new ChatSessionRunner(BuildKernel(withTools: false), _store);
        var bothInModel = new CountdownEvent(2);
        var release = new TaskCompletionSource();
        _model.BeforeResponse = async () =>
        {
            bothInModel.Signal();
            await release.Task;
        };

        var first = a.RunStreamAsync(sessionId, "from a", _ => { });
        var second = b.RunStreamAsync(sessionId, "from b", _ => { });
        Assert.True(bothInModel.Wait(TimeSpan.FromSeconds(10)));
        release.SetResult();
        var outcomes = await Task.WhenAll(Outcome(first), Outcome(second));

        Assert.Single(outcomes, o => o is null);
        Assert.Single(outcomes, o => o is ChatHistoryConcurrencyException);
        var stored = (await _store.GetAsync(sessionId))!.Messages.Select(m => m.Text).ToList();
        Assert.True(stored.SequenceEqual(["from a", "You said: from a"]) || stored.SequenceEqual(["from b", "You said: from b"]), string.Join(" | ", stored));
    }

    private static async Task<Exception?> Outcome(Task task)
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

    [Fact]
    public async Task FailedStream_StoresNothingByDefault()
    {
        var runner = new ChatSessionRunner(BuildKernel(new FailingAfter(_model, 2), withTools: false), _store);
        var sessionId = await SessionAsync(new ChatMessage(ChatRole.User, "earlier"));
        var delivered = new List<string>();

        var ex = await Assert.ThrowsAsync<ChatStreamException>(() => runner.RunStreamAsync(sessionId, "tell me a long story", t => delivered.Add(t.Text)));

        Assert.Equal("You said:", ex.PartialText);
        Assert.Equal("You said:", string.Concat(delivered));
        var stored = (await _store.GetAsync(sessionId))!;
        Assert.Equal(1, stored.Info.Version);
        Assert.Equal(["earlier"], stored.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task FailedStream_WithKeepPartialTurns_StoresTheTurnMarkedAsFailed()
    {
        var runner = new ChatSessionRunner(BuildKernel(new FailingAfter(_model, 2), withTools: false), _store, new ChatSessionRunnerOptions { KeepPartialTurns = true });
        var sessionId = await SessionAsync();

        await Assert.ThrowsAsync<ChatStreamException>(() => runner.RunStreamAsync(sessionId, "story", _ => { }));

        var stored = (await _store.GetAsync(sessionId))!.Messages;
        Assert.Equal(["story", "You said:"], stored.Select(m => m.Text));
        Assert.All(stored, m => Assert.Equal("failed", m.AdditionalProperties?[ChatSessionRunner.PartialTurnProperty]?.ToString()));
    }

    [Fact]
    public async Task CancelledTurn_StoresNothingByDefault_AndIsMarkedWhenKept()
    {
        foreach (var keep in new[] { false, true })
        {
            var runner = new ChatSessionRunner(BuildKernel(withTools: false), _store, new ChatSessionRunnerOptions { KeepPartialTurns = keep });
            var sessionId = await SessionAsync();
            using var cts = new CancellationTokenSource();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunStreamAsync(sessionId, "one two three", t =>
            {
                if (t.Index == 0)
                {
                    cts.Cancel();
                }
            }, cts.Token));

            var stored = (await _store.GetAsync(sessionId))!.Messages;
            if (keep)
            {
                Assert.Equal("one two three", stored[0].Text);
                Assert.All(stored, m => Assert.Equal("cancelled", m.AdditionalProperties?[ChatSessionRunner.PartialTurnProperty]?.ToString()));
            }
            else
            {
                Assert.Empty(stored);
            }
        }
    }

    [Fact]
    public async Task ContextProvider_AddsItsMessageBeforeTheUsersMessageWithoutStoringIt()
    {
        var context = new FixedContext(new ChatMessage(ChatRole.System, "<memories>likes tea</memories>"));
        var runner = new ChatSessionRunner(BuildKernel(context: context, withTools: false), _store);
        var sessionId = await SessionAsync(new ChatMessage(ChatRole.User, "earlier"), new ChatMessage(ChatRole.Assistant, "ok"));

        await runner.RunAsync(sessionId, "What do I like?");

        Assert.Equal(["earlier", "ok", "<memories>likes tea</memories>", "What do I like?"], _model.Requests[0].Messages.Select(m => m.Text));
        Assert.Equal((sessionId, "What do I like?"), context.Seen.Single());
        Assert.DoesNotContain((await _store.GetAsync(sessionId))!.Messages, m => m.Text.Contains("memories", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_OnAMissingSession_ThrowsNotFoundWithoutCallingTheModel()
    {
        var runner = new ChatSessionRunner(BuildKernel(withTools: false), _store);

        await Assert.ThrowsAsync<ChatSessionNotFoundException>(() => runner.RunStreamAsync("missing-" + Guid.NewGuid().ToString("N"), "hi", _ => { }));

        Assert.Empty(_model.Requests);
    }

    private sealed class FixedContext(ChatMessage message) : IChatContextProvider
    {
        public List<(string, string)> Seen { get; } = [];

        public ValueTask<ChatMessage?> GetContextAsync(string sessionId, ChatMessage userMessage, CancellationToken cancellationToken)
        {
            Seen.Add((sessionId, userMessage.Text));
            return ValueTask.FromResult<ChatMessage?>(message);
        }
    }

    // Passes the inner stream through, then fails the way a dropped connection does.
    private sealed class FailingAfter(IChatClient inner, int updates) : DelegatingChatClient(inner)
    {
        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var count = 0;
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                if (count++ == updates)
                {
                    throw new HttpRequestException("The response ended prematurely.");
                }

                yield return update;
            }
        }
    }
}
