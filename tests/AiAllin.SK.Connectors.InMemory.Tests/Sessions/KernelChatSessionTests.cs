using AiAllin.SK.Testing.Sessions;
using System.Text;
using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace AiAllin.SK.Connectors.InMemory.Tests.Sessions;

public sealed class KernelChatSessionTests
{
    private readonly ScriptedChatClient _model = new();
    private readonly List<string> _forecastCalls = [];
    private readonly Kernel _kernel;
    private readonly IChatHistoryStore _store;

    public KernelChatSessionTests()
    {
        var builder = Kernel.CreateBuilder().AddInMemoryChatHistoryStore();
        builder.Services.AddSingleton<IChatClient>(_model);
        builder.Plugins.AddFromFunctions("weather", [
            KernelFunctionFactory.CreateFromMethod(
                (string city) =>
                {
                    lock (_forecastCalls)
                    {
                        _forecastCalls.Add(city);
                    }

                    return $"sunny in {city}, 21 C";
                },
                "get_forecast",
                "Gets the weather forecast for a city."),
        ]);
        _kernel = builder.Build();
        _store = _kernel.GetRequiredService<IChatHistoryStore>();
    }

    private async Task<string> SessionAsync(params ChatMessage[] messages)
    {
        var info = await _store.CreateAsync(new() { OwnerId = "owner-" + Guid.NewGuid().ToString("N") });
        await _store.AppendAsync(info.Id, messages);
        return info.Id;
    }

    private static void AssertToolTurn(IReadOnlyList<ChatMessage> turn, string userText)
    {
        Assert.Equal(4, turn.Count);
        Assert.Equal((ChatRole.User, userText), (turn[0].Role, turn[0].Text));

        Assert.Equal(ChatRole.Assistant, turn[1].Role);
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(turn[1].Contents));
        Assert.EndsWith("get_forecast", call.Name, StringComparison.Ordinal);
        Assert.Equal("Paris", call.Arguments!["city"]?.ToString());

        Assert.Equal(ChatRole.Tool, turn[2].Role);
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(turn[2].Contents));
        Assert.Equal(call.CallId, result.CallId);
        Assert.Equal("sunny in Paris, 21 C", result.Result?.ToString());

        Assert.Equal(ChatRole.Assistant, turn[3].Role);
        Assert.Equal("Here is the forecast: sunny in Paris, 21 C", turn[3].Text);
    }

    [Fact]
    public async Task ChatInSession_WithAToolCall_InvokesTheKernelFunctionAndPersistsTheWholeTurnInOrder()
    {
        var sessionId = await SessionAsync(new ChatMessage(ChatRole.System, "You know the weather."));

        var result = await _kernel.ChatInSessionAsync(_store, sessionId, "Weather in Paris?");

        Assert.Equal(["Paris"], _forecastCalls);
        Assert.Equal("Here is the forecast: sunny in Paris, 21 C", result.Text);
        Assert.Equal(5, result.Version);
        var stored = (await _store.GetAsync(sessionId))!;
        Assert.Equal(5, stored.Info.Version);
        Assert.Equal("You know the weather.", stored.Messages[0].Text);
        AssertToolTurn(stored.Messages.Skip(1).ToList(), "Weather in Paris?");
        Assert.Equal(stored.Messages.Skip(1).Select(ChatMessageSerializer.Serialize), result.AppendedMessages.Select(ChatMessageSerializer.Serialize));
        Assert.Equal(["You know the weather.", "Weather in Paris?"], _model.Requests[0].Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task ChatInSession_SecondTurn_SendsTheStoredHistoryToTheModel()
    {
        var sessionId = await SessionAsync();
        await _kernel.ChatInSessionAsync(_store, sessionId, "Weather in Paris?");
        _model.Requests.Clear();

        var second = await _kernel.ChatInSessionAsync(_store, sessionId, "Thanks!", new PromptExecutionSettings());

        Assert.Equal("You said: Thanks!", second.Text);
        Assert.Equal(6, second.Version);
        var sent = Assert.Single(_model.Requests).Messages;
        Assert.Equal(5, sent.Count);
        AssertToolTurn(sent.Take(4).ToList(), "Weather in Paris?");
        Assert.Equal("Thanks!", sent[4].Text);
    }

    [Fact]
    public async Task ChatInSessionStreaming_StreamsTheAnswerAndPersistsTheTurnAtTheEnd()
    {
        var sessionId = await SessionAsync();
        var text = new StringBuilder();

        await foreach (var chunk in _kernel.ChatInSessionStreamingAsync(_store, sessionId, "Weather in Paris?"))
        {
            text.Append(chunk.Content);
            Assert.IsType<ChatResponseUpdate>(chunk.InnerContent);
        }

        Assert.Equal("Here is the forecast: sunny in Paris, 21 C", text.ToString());
        Assert.Equal(["Paris"], _forecastCalls);
        var stored = (await _store.GetAsync(sessionId))!;
        AssertToolTurn(stored.Messages, "Weather in Paris?");
    }

    [Fact]
    public async Task ChatInSessionStreaming_AbandonedEarly_PersistsNothing()
    {
        var sessionId = await SessionAsync(new ChatMessage(ChatRole.User, "earlier"));

        await foreach (var chunk in _kernel.ChatInSessionStreamingAsync(_store, sessionId, "Hello there", new PromptExecutionSettings()))
        {
            break;
        }

        Assert.Equal(["earlier"], (await _store.GetAsync(sessionId))!.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task ChatInSession_UnknownSession_ThrowsBeforeCallingTheModel()
    {
        await Assert.ThrowsAsync<ChatSessionNotFoundException>(() => _kernel.ChatInSessionAsync(_store, "no-such-session", "hi"));

        Assert.Empty(_model.Requests);
    }

    [Fact]
    public async Task ChatInSession_WhenAnotherWriterAppendsMidTurn_ThrowsAndPersistsNothingOfTheTurn()
    {
        var sessionId = await SessionAsync(new ChatMessage(ChatRole.User, "first"));
        _model.BeforeResponse = async () =>
        {
            _model.BeforeResponse = null;
            await _store.AppendAsync(sessionId, [new ChatMessage(ChatRole.User, "from another device")]);
        };

        var ex = await Assert.ThrowsAsync<ChatHistoryConcurrencyException>(() => _kernel.ChatInSessionAsync(_store, sessionId, "Weather in Paris?"));

        Assert.Equal((1, 2), (ex.ExpectedVersion, ex.ActualVersion));
        Assert.Equal(["first", "from another device"], (await _store.GetAsync(sessionId))!.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task ChatInSession_WithAReducer_SendsABudgetedHistoryButStoresEverything()
    {
        var history = new List<ChatMessage> { new(ChatRole.System, "Be brief.") };
        for (var i = 0; i < 20; i++)
        {
            history.Add(new ChatMessage(ChatRole.User, $"question {i} " + new string('q', 200)));
            history.Add(new ChatMessage(ChatRole.Assistant, $"answer {i} " + new string('a', 200)));
        }

        var sessionId = await SessionAsync([.. history]);

        var result = await _kernel.ChatInSessionAsync(_store, sessionId, "Hi", new PromptExecutionSettings(), new() { Reducer = new TokenBudgetChatHistoryReducer(300) });

        var sent = Assert.Single(_model.Requests).Messages;
        Assert.InRange(sent.Count, 3, 10);
        Assert.Equal("Be brief.", sent[0].Text);
        Assert.Equal("answer 19 " + new string('a', 200), sent[^2].Text);
        Assert.Equal("Hi", sent[^1].Text);
        Assert.Equal(43, result.Version);
        Assert.Equal(43, (await _store.GetAsync(sessionId))!.Messages.Count);
    }

    [Fact]
    public async Task ChatInSession_ConcurrentTurnsInDifferentSessions_EachPersistTheirOwnTurn()
    {
        var sessions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SessionAsync()));

        await Task.WhenAll(sessions.Select(id => _kernel.ChatInSessionAsync(_store, id, "Weather in Paris?")));

        foreach (var id in sessions)
        {
            AssertToolTurn((await _store.GetAsync(id))!.Messages, "Weather in Paris?");
        }

        Assert.Equal(8, _forecastCalls.Count);
    }
}
