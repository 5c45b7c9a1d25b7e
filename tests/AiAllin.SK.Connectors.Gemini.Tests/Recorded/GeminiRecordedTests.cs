using System.Text.Json.Nodes;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Providers.Recorded;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;

namespace AiAllin.SK.Connectors.Gemini.Tests.Recorded;

// Replays of real Gemini traffic (sources in GeminiTranscripts), whole and cut into pieces at odd byte boundaries that
// split lines, JSON tokens and multi-byte UTF-8 characters.
public sealed class GeminiRecordedTests
{
    private const string Key = "AIzaSyRecorded-0123456789abcdefghijkl";

    public static TheoryData<int> ChunkSizes => new() { 0, 1, 7, 61, 509 };

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task ThinkingStream_YieldsThoughtsThenTextAndTheFinalUsage(int chunkSize)
    {
        await using var replay = ReplayServer.Start(RecordedReply.Sse(GeminiTranscripts.ThinkingStream, chunkSize));
        using var client = Client(replay);

        var (updates, merged) = await StreamAsync(client);

        Assert.Equal(5, updates.Count);
        Assert.StartsWith("**Calculating Prime Sum**", Reasoning(updates), StringComparison.Ordinal);
        Assert.Contains("**Summarizing the Primes**", Reasoning(updates), StringComparison.Ordinal);
        Assert.Equal("To find the sum of the first 50 prime numbers, we first need to list them and then add them up.\n\nThe first 50 prime numbers are:\n1.  2\n2.  3\n3.  5\n5309**\n\nThe sum of the first 50 prime numbers is 5309.", merged.Text);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal("WEXbaMnpF7iPjMcP27mckQE", merged.ResponseId);
        Assert.Equal("gemini-2.5-flash", merged.ModelId);
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        Assert.Equal(28, usage.InputTokenCount);
        Assert.Equal(643 + 1174, usage.OutputTokenCount);
        Assert.Equal(1174, usage.ReasoningTokenCount);
        Assert.Equal(1845, usage.TotalTokenCount);
        Assert.Equal("?alt=sse", new Uri(replay.BaseAddress, replay.Requests.Single().Path).Query);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task SignedTextStream_KeepsTheSignatureOfTheEmptyFinalPart_AndSendsItBack(int chunkSize)
    {
        await using var replay = ReplayServer.Start(RecordedReply.Sse(GeminiTranscripts.SignedTextStream, chunkSize), RecordedReply.Json(GeminiTranscripts.ParallelCallsAnswer));
        using var client = Client(replay);

        var (_, merged) = await StreamAsync(client);
        await client.GetResponseAsync([new(ChatRole.User, "hi"), .. merged.Messages, new(ChatRole.User, "And you?")], cancellationToken: Guard());

        Assert.Equal("Hello! How can I help you today?", merged.Text);
        Assert.Equal("AY89a18iOcFus5wr5bW5xN6zZ4aUiCyhgmg6HE2YjtYDV/dwZ5oZlZHeTmiUKv34qq0=", merged.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Single().ProtectedData);
        var echoed = JsonNode.Parse(replay.Requests[1].Body)!["contents"]![1]!;
        Assert.Equal(
            """{"role":"model","parts":[{"text":"Hello! How can I help you today?"},{"text":"","thoughtSignature":"AY89a18iOcFus5wr5bW5xN6zZ4aUiCyhgmg6HE2YjtYDV/dwZ5oZlZHeTmiUKv34qq0="}]}""",
            echoed.ToJsonString());
    }

    [Fact]
    public async Task ParallelCalls_ToolLoop_SendsTheTurnBackAsTheRecordedClientDid()
    {
        await using var replay = ReplayServer.Start(RecordedReply.Json(GeminiTranscripts.ParallelCallsResponse), RecordedReply.Json(GeminiTranscripts.ParallelCallsAnswer));
        using var client = new ChatClientBuilder(Client(replay)).UseFunctionInvocation().Build();
        var spanish = AIFunctionFactory.Create((string request) => "Buenos días", "translator_es", "Translates an English phrase into Spanish.");
        var french = AIFunctionFactory.Create((string request) => "Bonjour", "translator_fr", "Translates an English phrase into French.");

        var response = await client.GetResponseAsync("Translate 'good morning' to both Spanish and French.", new ChatOptions { Tools = [spanish, french] }, Guard());

        Assert.Equal("In Spanish it is 'Buenos días' and in French it is 'Bonjour'.", response.Text);
        var calls = Calls(response);
        Assert.Equal(["rgjcr7hc", "cu6rg45q"], calls.Select(c => c.CallId));
        var second = JsonNode.Parse(replay.Requests[1].Body)!["contents"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(GeminiTranscripts.ParallelCallsEchoedTurn), second[1]), second[1]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(GeminiTranscripts.ParallelCallsEchoedResults), second[2]), second[2]!.ToJsonString());
        Assert.Equal(186 + 376, response.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task ParallelCalls_Whole_ReportToolCallsNotStop_AndTheFinishMessage()
    {
        await using var replay = ReplayServer.Start(RecordedReply.Json(GeminiTranscripts.ParallelCallsResponse));
        using var client = Client(replay);

        var response = await client.GetResponseAsync("Translate", cancellationToken: Guard());

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("Model generated function call(s).", response.AdditionalProperties?[GeminiPropertyNames.FinishMessage]);
        Assert.Equal("good morning", Argument(Calls(response)[1], "request"));
        var contents = response.Messages.Single().Contents;
        Assert.Equal(GeminiTranscripts.FirstSignature, Assert.IsType<TextReasoningContent>(contents[0]).ProtectedData);
        Assert.IsType<FunctionCallContent>(contents[1]);
        Assert.IsType<FunctionCallContent>(contents[2]);
        Assert.Equal(129, response.Usage?.ReasoningTokenCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public async Task StreamCutBeforeTheFinalEvent_ThrowsTransientAfterTheDeliveredText(int chunkSize)
    {
        var cut = GeminiTranscripts.ThinkingStream[..GeminiTranscripts.ThinkingStream.LastIndexOf("data: ", StringComparison.Ordinal)];
        await using var replay = ReplayServer.Start(RecordedReply.Sse(cut, chunkSize));
        using var client = Client(replay);
        var received = new List<ChatResponseUpdate>();

        var exception = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("sum", cancellationToken: Guard()))
            {
                received.Add(update);
            }
        });

        Assert.Equal(4, received.Count);
        Assert.True(exception.IsTransient);
        Assert.Contains("no finishReason", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuotaExceeded_WithRetryInfoBeyondTheCap_FailsAtOnceCarryingTheDelay()
    {
        await using var replay = ReplayServer.Start(new RecordedReply(429, GeminiTranscripts.QuotaExceeded), RecordedReply.Json(GeminiTranscripts.ParallelCallsAnswer));
        using var client = Client(replay);

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(429, (int?)exception.StatusCode);
        Assert.Equal("RESOURCE_EXHAUSTED", exception.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(41), exception.RetryAfter);
        Assert.True(exception.IsTransient);
        Assert.Contains("You exceeded your current quota", exception.Message, StringComparison.Ordinal);
        Assert.Single(replay.Requests);
        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuotaExceeded_WithRetryInfoWithinTheCap_IsRetriedAfterTheDelayAndSucceeds()
    {
        var shortWait = GeminiTranscripts.QuotaExceeded.Replace("\"41s\"", "\"1s\"", StringComparison.Ordinal);
        await using var replay = ReplayServer.Start(new RecordedReply(429, shortWait), RecordedReply.Json(GeminiTranscripts.ParallelCallsAnswer));
        using var client = Client(replay);

        var response = await client.GetResponseAsync("hi", cancellationToken: Guard());

        Assert.Equal("In Spanish it is 'Buenos días' and in French it is 'Bonjour'.", response.Text);
        Assert.Equal(2, replay.Requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(1), GeminiRetryInfoHandler.RetryDelay(System.Text.Encoding.UTF8.GetBytes(shortWait)));
    }

    private static GeminiChatClient Client(ReplayServer replay) => new(new GeminiOptions { Endpoint = replay.BaseAddress, ApiKey = Key, Model = "gemini-2.5-flash" });
}
