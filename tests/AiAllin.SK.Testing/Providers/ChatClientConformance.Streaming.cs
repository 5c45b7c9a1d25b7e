using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Streaming;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Xunit;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace AiAllin.SK.Testing.Providers;

/// <summary>The callback streaming API (<see cref="ChatClientStreamingExtensions"/>, <see cref="KernelStreamingExtensions"/>) over each provider's wire.</summary>
public abstract partial class ChatClientConformance<TServer>
{
    [Fact]
    public async Task StreamCallback_DeliversWholeWordsInOrderAndReturnsTheWholeResponse()
    {
        var chunks = Enumerable.Range(0, 40).Select(i => i % 3 == 0 ? $"wo{i}" : $"rd{i} ").ToArray();
        Server.Enqueue(ScriptedReply.WithText(chunks) with { Usage = new ScriptedUsage(15, 40) });
        using var client = Client();
        var tokens = new List<StreamToken>();

        var response = await client.StreamResponseAsync([new(ChatRole.User, "count")], tokens.Add, buffering: StreamBuffering.PerWord, cancellationToken: Guard());

        Assert.Equal(string.Concat(chunks), string.Concat(tokens.Select(t => t.Text)));
        Assert.All(tokens.SkipLast(1), t => Assert.True(char.IsWhiteSpace(t.Text[^1]), $"'{t.Text}' is not a whole word"));
        Assert.All(tokens, t => Assert.Equal(StreamPhase.Answer, t.Phase));
        Assert.Equal(Enumerable.Range(0, tokens.Count), tokens.Select(t => t.Index));
        Assert.Equal(string.Concat(chunks), response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(40, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task StreamCallback_ToolCallMidStream_IsInvokedAndTheStreamContinuesWithTheNextTurn()
    {
        Server.Enqueue(
            ScriptedReply.WithToolCalls(new ScriptedToolCall("call_cb1", "get_forecast", "{\"city\": ", "\"Paris\", \"days\": 2}")),
            ScriptedReply.WithText("It is ", "sunny ", "in Paris."));
        var invoked = new List<string>();
        using var client = new ChatClientBuilder(Client()).UseFunctionInvocation().Build();
        var tokens = new List<StreamToken>();

        var response = await client.StreamResponseAsync(
            [new(ChatRole.User, "Weather in Paris?")],
            tokens.Add,
            new ChatOptions { Tools = [ForecastTool(city => { invoked.Add(city); return $"sunny, 21C in {city}"; })] },
            cancellationToken: Guard());

        Assert.Equal(["Paris"], invoked);
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(tokens, t => t.Phase == StreamPhase.ToolCall).Content);
        Assert.Equal("Paris", call.Arguments?["city"]?.ToString());
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(tokens, t => t.Phase == StreamPhase.ToolResult).Content);
        Assert.Equal(call.CallId, result.CallId);
        var answer = tokens.Where(t => t.Phase == StreamPhase.Answer).ToList();
        Assert.Equal("It is sunny in Paris.", string.Concat(answer.Select(t => t.Text)));
        Assert.All(answer, t => Assert.Equal(1, t.Turn));
        Assert.Equal("It is sunny in Paris.", response.Messages[^1].Text);
        AssertSecondTurnCarriesCallAndResult(call.CallId);
    }

    [Fact]
    public async Task StreamCallback_WhenTheCallerCancels_ThrowsOperationCanceledAndTheServerSeesTheDisconnect()
    {
        Server.Enqueue(ScriptedReply.WithText(Enumerable.Range(0, 200).Select(i => $"t{i} ").ToArray()) with { ChunkDelay = TimeSpan.FromMilliseconds(20) });
        using var client = Client();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.StreamResponseAsync([new(ChatRole.User, "go")], t =>
        {
            if (t.Index == 2)
            {
                cancellation.Cancel();
            }
        }, cancellationToken: cancellation.Token));

        Assert.True(await Server.WaitForDisconnectAsync(), "cancelling must release the connection");
    }

    [Fact]
    public async Task StreamCallback_WhenTheCallbackThrows_RethrowsItAndTheServerSeesTheDisconnect()
    {
        Server.Enqueue(ScriptedReply.WithText(Enumerable.Range(0, 200).Select(i => $"t{i} ").ToArray()) with { ChunkDelay = TimeSpan.FromMilliseconds(20) });
        using var client = Client();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => client.StreamResponseAsync([new(ChatRole.User, "go")], t =>
        {
            if (t.Index == 2)
            {
                throw new InvalidOperationException("the console is closed");
            }
        }, cancellationToken: Guard()));

        Assert.Equal("the console is closed", exception.Message);
        Assert.True(await Server.WaitForDisconnectAsync(), "a failing callback must release the connection");
    }

    [Fact]
    public async Task StreamCallback_MalformedChunkAfterTokens_ThrowsWithThePartialTextAndDeliveredCount()
    {
        Server.Enqueue(ScriptedReply.WithText("alpha ", "beta ", "gamma") with { MalformedAfter = 2 });
        using var client = Client();
        var delivered = new List<string>();

        var exception = await Assert.ThrowsAsync<ChatStreamException>(() => client.StreamResponseAsync([new(ChatRole.User, "hi")], t => delivered.Add(t.Text), cancellationToken: Guard()));

        Assert.Equal("alpha beta ", exception.PartialText);
        Assert.Equal("alpha beta ", string.Concat(delivered));
        Assert.Equal(delivered.Count, exception.DeliveredCount);
        Assert.IsType<ProviderStreamException>(exception.InnerException);
        AssertNoSecret(exception);
    }

    [Fact]
    public async Task StreamCallback_ErrorEventAfterTokens_ThrowsWithThePartialTextAndTheProviderError()
    {
        Server.Enqueue(ScriptedReply.WithText("alpha ", "beta ", "gamma") with { ErrorEventAfter = 2, ErrorEventMessage = "Overloaded, try again later" });
        using var client = Client();

        var exception = await Assert.ThrowsAsync<ChatStreamException>(() => client.StreamResponseAsync([new(ChatRole.User, "hi")], _ => { }, cancellationToken: Guard()));

        Assert.Equal("alpha beta ", exception.PartialText);
        Assert.IsAssignableFrom<ProviderException>(exception.InnerException);
        Assert.Contains("Overloaded, try again later", exception.Message, StringComparison.Ordinal);
        AssertNoSecret(exception);
    }

    [Fact]
    public async Task Kernel_StreamPrompt_WithAutoFunctionChoice_InvokesThePluginAndStreamsTheAnswer()
    {
        var plugin = new WeatherPlugin();
        var kernel = BuildKernel();
        kernel.Plugins.AddFromObject(plugin, "weather");
        Server.Enqueue(view => ScriptedReply.WithToolCalls(new ScriptedToolCall("call_sk3", ForecastToolName(view), "{\"ci", "ty\": \"Lisbon\"}")));
        Server.Enqueue(ScriptedReply.WithText("Lisbon ", "is ", "warm."));
        var tokens = new List<StreamToken>();

        var response = await kernel.StreamPromptAsync(
            "Weather in Lisbon?",
            tokens.Add,
            new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }),
            cancellationToken: Guard());

        Assert.Equal(["Lisbon"], plugin.Cities);
        Assert.Equal([StreamPhase.ToolCall, StreamPhase.ToolResult], tokens.Where(t => t.Phase != StreamPhase.Answer).Select(t => t.Phase));
        Assert.Equal("Lisbon is warm.", string.Concat(tokens.Where(t => t.Phase == StreamPhase.Answer).Select(t => t.Text)));
        Assert.Equal("Lisbon is warm.", response.Messages[^1].Text);
        AssertSecondTurnCarriesCallAndResult("call_sk3", "Lisbon");
    }
}
