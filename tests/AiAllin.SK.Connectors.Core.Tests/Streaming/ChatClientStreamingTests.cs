using AiAllin.SK.Connectors.Core.Streaming;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Connectors.Core.Tests.Streaming.ScriptedStreamClient;

namespace AiAllin.SK.Connectors.Core.Tests.Streaming;

public sealed class ChatClientStreamingTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Weather in Paris?")];

    [Fact]
    public async Task StreamResponse_DeliversReasoningThenAnswerInOrderAndReturnsTheWholeResponse()
    {
        var model = new ScriptedStreamClient().Then([
            Reasoning("Think"), Reasoning("ing."), Text("It is "), Text("sunny"),
            new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 7, OutputTokenCount = 4 })]) { FinishReason = ChatFinishReason.Stop, MessageId = "m1" },
        ]);
        var tokens = new List<StreamToken>();

        var response = await model.StreamResponseAsync(Question, tokens.Add);

        Assert.Equal("Thinking.", string.Concat(tokens.Where(t => t.Phase == StreamPhase.Reasoning).Select(t => t.Text)));
        Assert.Equal("It is sunny", string.Concat(tokens.Where(t => t.Phase == StreamPhase.Answer).Select(t => t.Text)));
        Assert.Equal(Enumerable.Range(0, tokens.Count), tokens.Select(t => t.Index));
        Assert.True(tokens.FindLastIndex(t => t.Phase == StreamPhase.Reasoning) < tokens.FindIndex(t => t.Phase == StreamPhase.Answer));
        Assert.All(tokens, t => Assert.Equal(0, t.Turn));
        Assert.Equal("It is sunny", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(7, response.Usage?.InputTokenCount);
        Assert.Equal("Thinking.", string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text)));
    }

    [Fact]
    public async Task StreamResponse_AsyncCallback_IsAwaitedBeforeTheNextDelivery()
    {
        var model = new ScriptedStreamClient().Then([Text("a "), Text("b "), Text("c")]);
        var active = 0;
        var overlaps = 0;

        await model.StreamResponseAsync(Question, async (token, ct) =>
        {
            overlaps += Interlocked.Increment(ref active) > 1 ? 1 : 0;
            await Task.Delay(5, ct);
            Interlocked.Decrement(ref active);
        });

        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task StreamResponse_WithFunctionInvocation_ShowsTheToolCallAndResultAndTheNextTurn()
    {
        var calls = new List<string>();
        var forecast = AIFunctionFactory.Create((string city) => { calls.Add(city); return $"sunny in {city}"; }, "get_forecast");
        var model = new ScriptedStreamClient()
            .Then([Text("Let me check. "), new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("c1", "get_forecast", new Dictionary<string, object?> { ["city"] = "Paris" })]) { MessageId = "m1" }])
            .Then([Text("It is "), Text("sunny.")]);
        using var client = model.AsBuilder().UseFunctionInvocation().Build();
        var tokens = new List<StreamToken>();

        var response = await client.StreamResponseAsync(Question, tokens.Add, new ChatOptions { Tools = [forecast] });

        Assert.Equal(["Paris"], calls);
        Assert.Equal(
            [StreamPhase.Answer, StreamPhase.ToolCall, StreamPhase.ToolResult, StreamPhase.Answer],
            Collapse(tokens));
        var call = Assert.IsType<FunctionCallContent>(tokens.Single(t => t.Phase == StreamPhase.ToolCall).Content);
        Assert.Equal("Paris", call.Arguments!["city"]?.ToString());
        var result = Assert.IsType<FunctionResultContent>(tokens.Single(t => t.Phase == StreamPhase.ToolResult).Content);
        Assert.Equal("c1", result.CallId);
        Assert.All(tokens.Where(t => t.Index <= tokens.Single(x => x.Phase == StreamPhase.ToolResult).Index), t => Assert.Equal(0, t.Turn));
        Assert.All(tokens.Where(t => t.Index > tokens.Single(x => x.Phase == StreamPhase.ToolResult).Index), t => Assert.Equal(1, t.Turn));
        Assert.Equal("It is sunny.", response.Messages[^1].Text);
        Assert.Contains(response.Messages, m => m.Contents.OfType<FunctionResultContent>().Any(r => r.CallId == "c1"));
        Assert.Equal("Let me check. It is sunny.", string.Concat(tokens.Where(t => t.Phase == StreamPhase.Answer).Select(t => t.Text)));
    }

    private static List<StreamPhase> Collapse(List<StreamToken> tokens)
    {
        var phases = new List<StreamPhase>();
        foreach (var token in tokens)
        {
            if (phases.Count == 0 || phases[^1] != token.Phase)
            {
                phases.Add(token.Phase);
            }
        }

        return phases;
    }

    [Fact]
    public async Task StreamResponse_WhenTheCallbackThrows_StopsPullingReleasesTheStreamAndRethrows()
    {
        var model = new ScriptedStreamClient().Then(Enumerable.Range(0, 50).Select(i => Text($"w{i} ")));
        var seen = 0;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => model.StreamResponseAsync(Question, t =>
        {
            if (++seen == 3)
            {
                throw new InvalidOperationException("the UI is gone");
            }
        }));

        Assert.Equal("the UI is gone", ex.Message);
        Assert.Equal(1, model.Disposed);
        Assert.True(model.Pulled < 10, $"{model.Pulled} updates were pulled after the callback failed.");
    }

    [Fact]
    public async Task StreamResponse_WhenTheCallerCancelsMidStream_ThrowsOperationCanceledAndReleasesTheStream()
    {
        var model = new ScriptedStreamClient().Then(Enumerable.Range(0, 50).Select(i => Text($"w{i} ")));
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.StreamResponseAsync(Question, t =>
        {
            if (t.Index == 2)
            {
                cts.Cancel();
            }
        }, cancellationToken: cts.Token));

        Assert.Equal(1, model.Disposed);
        Assert.True(model.Pulled < 10);
    }

    [Fact]
    public async Task StreamResponse_WhenTheStreamFailsAfterTokens_ThrowsWithThePartialTextAndDeliveredCount()
    {
        var failure = new ProviderStreamException("The stream had a malformed chunk: data: {oops");
        var model = new ScriptedStreamClient().Then([Text("The answer "), Text("is 4"), Text("2")], failure);
        var tokens = new List<StreamToken>();

        var ex = await Assert.ThrowsAsync<ChatStreamException>(() => model.StreamResponseAsync(Question, tokens.Add, buffering: StreamBuffering.PerWord));

        Assert.Same(failure, ex.InnerException);
        Assert.Equal("The answer is 42", ex.PartialText);
        Assert.Equal("The answer is 42", string.Concat(tokens.Select(t => t.Text)));
        Assert.Equal(tokens.Count, ex.DeliveredCount);
        Assert.Equal("The answer is 42", ex.PartialResponse.Text);
        Assert.Contains("malformed chunk", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, model.Disposed);
    }

    [Fact]
    public async Task StreamResponse_WhenTheStreamFailsBeforeAnyToken_ThrowsWithNothingDelivered()
    {
        var model = new ScriptedStreamClient().Then([], new TimeoutException("no first token"));

        var ex = await Assert.ThrowsAsync<ChatStreamException>(() => model.StreamResponseAsync(Question, _ => Assert.Fail("nothing should be delivered")));

        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Equal(string.Empty, ex.PartialText);
        Assert.Equal(0, ex.DeliveredCount);
    }

    [Fact]
    public async Task StreamResponse_WithSentenceBuffering_DeliversWholeSentencesAndTheRestAtTheEnd()
    {
        var model = new ScriptedStreamClient().Then([Text("It is "), Text("sunny. Ta"), Text("ke a hat! Bye")]);
        var tokens = new List<string>();

        await model.StreamResponseAsync(Question, t => tokens.Add(t.Text), buffering: StreamBuffering.PerSentence);

        Assert.Equal(["It is sunny. ", "Take a hat! ", "Bye"], tokens);
    }

    [Fact]
    public async Task StreamResponse_ValidatesItsArguments()
    {
        var model = new ScriptedStreamClient();

        await Assert.ThrowsAsync<ArgumentNullException>(() => model.StreamResponseAsync(Question, (Action<StreamToken>)null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => ((IChatClient)null!).StreamResponseAsync(Question, _ => { }));
        Assert.Empty(model.Requests);
    }
}
