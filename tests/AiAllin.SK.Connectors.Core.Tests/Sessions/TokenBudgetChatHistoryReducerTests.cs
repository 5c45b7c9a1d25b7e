using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AiAllin.SK.Connectors.Core.Tests.Sessions;

public sealed class TokenBudgetChatHistoryReducerTests
{
    // Each message costs its text length in tokens, so budgets in the tests are easy to read.
    private static TokenBudgetChatHistoryReducer Reducer(int maxTokens) => new(maxTokens, m => Math.Max(1, m.Text.Length + m.Contents.Count(c => c is not Microsoft.Extensions.AI.TextContent) * 10));

    private static ChatMessage Msg(ChatRole role, string text) => new(role, text);

    private static ChatMessage Call(string callId) =>
        new(ChatRole.Assistant, [new Microsoft.Extensions.AI.FunctionCallContent(callId, "tool", new Dictionary<string, object?> { ["q"] = callId })]);

    private static ChatMessage Result(string callId) =>
        new(ChatRole.Tool, [new Microsoft.Extensions.AI.FunctionResultContent(callId, "ok")]);

    [Fact]
    public void ReduceWindow_WhenItAnswers_AnswersAsTheWholeHistoryWould()
    {
        var random = new Random(20261208);
        var answered = 0;
        for (var round = 0; round < 300; round++)
        {
            var history = RandomHistory(random, random.Next(1, 60));
            var reducer = Reducer(random.Next(10, 400));
            var whole = reducer.Reduce(history);
            for (var start = 1; start < history.Count; start++)
            {
                // What a windowed read gives: the system messages before the window, then the window.
                List<ChatMessage> read = [.. history.Take(start).Where(ChatSession.IsSystemMessage), .. history.Skip(start)];

                if (reducer.ReduceWindow(read) is { } reduced)
                {
                    answered++;
                    Assert.Equal(whole, reduced);
                }
            }
        }

        Assert.True(answered > 1000, $"only {answered} windows were answered");
    }

    [Fact]
    public void ReduceWindow_WindowWithinBudget_AsksForMore_AndOverBudget_CutsWhereTheWholeHistoryWould()
    {
        // The window starts inside a call's unit: the call is older than the window, one of its results is not.
        List<ChatMessage> whole = [Msg(ChatRole.System, "rules"), Msg(ChatRole.User, "old"), Call("c1"), Result("c1"), Msg(ChatRole.User, "question"), Msg(ChatRole.Assistant, "answer"), Msg(ChatRole.User, "next")];
        List<ChatMessage> window = [whole[0], .. whole.Skip(3)];

        Assert.Null(Reducer(40).ReduceWindow(window));
        Assert.Equal(["rules", "answer", "next"], Reducer(20).ReduceWindow(window)!.Select(m => m.Text));
        Assert.Equal(["rules", "answer", "next"], Reducer(20).Reduce(whole).Select(m => m.Text));

        // Over budget by the cut result alone: it is dropped, as its whole unit would be.
        Assert.Equal(Reducer(31).Reduce(whole).Select(m => m.Text), Reducer(31).ReduceWindow(window)!.Select(m => m.Text));
    }

    [Fact]
    public void EstimateTokens_AStringResultReadBackFromJson_CountsAsTheString()
    {
        var live = new ChatMessage(ChatRole.Tool, [new Microsoft.Extensions.AI.FunctionResultContent("c1", "seven c")]);
        var stored = ChatMessageSerializer.Deserialize(ChatMessageSerializer.SerializeToUtf8Bytes(live));

        Assert.IsType<System.Text.Json.JsonElement>(stored.Contents.OfType<Microsoft.Extensions.AI.FunctionResultContent>().Single().Result);
        Assert.Equal(TokenBudgetChatHistoryReducer.EstimateTokens(live), TokenBudgetChatHistoryReducer.EstimateTokens(stored));
    }

    // Users, assistants, system and developer messages, and assistant calls answered by one or two tool results.
    private static List<ChatMessage> RandomHistory(Random random, int units)
    {
        var history = new List<ChatMessage>();
        for (var u = 0; u < units; u++)
        {
            var text = new string('x', random.Next(1, 40));
            switch (random.Next(10))
            {
                case 0:
                    history.Add(Msg(ChatRole.System, text));
                    break;
                case 1:
                    history.Add(Msg(new ChatRole("developer"), text));
                    break;
                case 2 or 3:
                    var id = $"c{u}";
                    history.Add(Call(id));
                    history.Add(Result(id));
                    if (random.Next(2) == 0)
                    {
                        history.Add(Result(id + "b"));
                    }

                    break;
                case 4 or 5 or 6:
                    history.Add(Msg(ChatRole.User, text));
                    break;
                default:
                    history.Add(Msg(ChatRole.Assistant, text));
                    break;
            }
        }

        history.Add(Msg(ChatRole.User, "now"));
        return history;
    }

    [Fact]
    public void Reduce_HistoryWithinBudget_ReturnsItUnchanged()
    {
        IReadOnlyList<ChatMessage> history = [Msg(ChatRole.System, "sys"), Msg(ChatRole.User, "hello")];

        Assert.Same(history, Reducer(100).Reduce(history));
    }

    [Fact]
    public void Reduce_OverBudget_DropsOldestTurnsAndKeepsTheSystemMessage()
    {
        var system = Msg(ChatRole.System, "0123456789");
        IReadOnlyList<ChatMessage> history =
        [
            system,
            Msg(ChatRole.User, "old question"),
            Msg(ChatRole.Assistant, "old answer"),
            Msg(ChatRole.User, "new q"),
        ];

        var reduced = Reducer(30).Reduce(history);

        Assert.Equal([system, history[2], history[3]], reduced);
    }

    [Fact]
    public void Reduce_NeverSplitsAToolCallFromItsResults()
    {
        IReadOnlyList<ChatMessage> history =
        [
            Msg(ChatRole.User, "first"),
            Call("c1"),
            Result("c1"),
            Msg(ChatRole.Assistant, "done"),
            Msg(ChatRole.User, "q"),
        ];

        // "q"(1) + "done"(4) + the call pair (10 + 10) = 25: a budget of 20 cannot hold the pair, so it goes entirely.
        var reduced = Reducer(20).Reduce(history);

        Assert.Equal([history[3], history[4]], reduced);
        Assert.Equal(history.Skip(1), Reducer(25).Reduce(history));
    }

    [Fact]
    public void Reduce_ParallelToolResults_StayWithTheirCall()
    {
        var call = new ChatMessage(ChatRole.Assistant, [
            new Microsoft.Extensions.AI.FunctionCallContent("a", "tool"),
            new Microsoft.Extensions.AI.FunctionCallContent("b", "tool"),
        ]);
        IReadOnlyList<ChatMessage> history = [Msg(ChatRole.User, "long long long question"), call, Result("a"), Result("b"), Msg(ChatRole.Assistant, "x")];

        var reduced = Reducer(60).Reduce(history);

        Assert.Equal(history.Skip(1), reduced);
    }

    [Fact]
    public void Reduce_WindowStartingWithOrphanToolResults_DropsThem()
    {
        // The call of "gone" was cut off before (a window read with MaxMessages); the budget would fit its result.
        IReadOnlyList<ChatMessage> history = [Msg(ChatRole.User, new string('u', 40)), Result("gone"), Msg(ChatRole.Assistant, "answer"), Msg(ChatRole.User, "next")];

        var reduced = Reducer(25).Reduce(history);

        Assert.Equal([history[2], history[3]], reduced);
    }

    [Fact]
    public void Reduce_NewestTurnAloneOverBudget_IsStillKept()
    {
        var system = Msg(ChatRole.System, "s");
        IReadOnlyList<ChatMessage> history = [system, Msg(ChatRole.User, "a"), Msg(ChatRole.User, new string('x', 500))];

        Assert.Equal([system, history[2]], Reducer(10).Reduce(history));
    }

    [Fact]
    public void Reduce_KeepsDeveloperMessagesAnywhere()
    {
        var developer = Msg(new ChatRole("developer"), "rules");
        IReadOnlyList<ChatMessage> history = [Msg(ChatRole.User, "0123456789"), developer, Msg(ChatRole.User, "q")];

        Assert.Equal([developer, history[2]], Reducer(8).Reduce(history));
    }

    [Fact]
    public async Task ReduceAsync_OnAnSkChatHistory_ReturnsTheKeptInstancesOrNull()
    {
        var history = new ChatHistory("system prompt");
        history.AddUserMessage(new string('u', 400));
        history.AddAssistantMessage(new string('a', 400));
        history.AddUserMessage("short question");
        var reducer = new TokenBudgetChatHistoryReducer(50);

        var reduced = (await reducer.ReduceAsync(history))!.ToList();

        Assert.Equal([history[0], history[3]], reduced);
        Assert.Null(await new TokenBudgetChatHistoryReducer(10_000).ReduceAsync(history));
    }

    [Fact]
    public async Task ReduceAsync_OnAnSkChatHistory_KeepsFunctionCallPairs()
    {
        var history = new ChatHistory();
        history.AddUserMessage(new string('u', 1000));
        history.Add(new ChatMessageContent(AuthorRole.Assistant, [new Microsoft.SemanticKernel.FunctionCallContent("get", "plugin", "call-1", new() { ["x"] = "1" })]));
        history.Add(new ChatMessageContent(AuthorRole.Tool, [new Microsoft.SemanticKernel.FunctionResultContent("get", "plugin", "call-1", "result")]));
        history.AddAssistantMessage("answer");

        var reduced = (await new TokenBudgetChatHistoryReducer(40).ReduceAsync(history))!.ToList();

        Assert.Equal([history[1], history[2], history[3]], reduced);
    }

    [Fact]
    public void EstimateTokens_CountsTextArgumentsResultsAndData()
    {
        var text = TokenBudgetChatHistoryReducer.EstimateTokens(new ChatMessage(ChatRole.User, new string('x', 400)));
        var call = TokenBudgetChatHistoryReducer.EstimateTokens(new ChatMessage(ChatRole.Assistant, [new Microsoft.Extensions.AI.FunctionCallContent("c", "tool", new Dictionary<string, object?> { ["q"] = new string('y', 400) })]));
        var image = TokenBudgetChatHistoryReducer.EstimateTokens(new ChatMessage(ChatRole.User, [new DataContent(new byte[100_000], "image/png")]));

        Assert.Equal(104, text);
        Assert.InRange(call, 104, 115);
        Assert.Equal(260, image);
    }

    [Fact]
    public void Constructor_NonPositiveBudget_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBudgetChatHistoryReducer(0));
    }
}
