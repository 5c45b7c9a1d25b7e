using System.Net;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Providers.Recorded;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;

namespace AiAllin.SK.Connectors.Cohere.Tests.Recorded;

// Cohere transcripts replayed byte for byte: the streams in Data/*.sse (each file's header names its source), and
// whole bodies below, each with its source. Streams are also cut into pieces of a few bytes, which splits lines, the
// "event:"/"data:" fields and the multi-byte UTF-8 "°".
public sealed class CohereRecordedTests
{
    private const string Key = "co-recorded-7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29";

    private const string CocaColaText = "Coca-Cola is a carbonated soft drink sold in stores, restaurants, and vending machines in more than 200 countries. It is produced by The Coca-Cola Company, a publicly traded company which began in 1892 as a result of US businessman Asa Griggs Candler purchasing the Coca-Cola brand and formula from John Pemberton. The Coca-Cola Company today offers nearly 400 brands in over 200 countries and is one of the largest beverage companies in the world.";

    // Source: Cohere docs, "Documents and Citations" (v2), the penguin example's reply, as the v2 Chat API reference
    // shapes a whole response (id, finish_reason, message.content/citations, usage).
    private const string PenguinResponse = """
        {
          "id": "c14c80c3-18eb-4519-9460-6c92edd8cfb4",
          "finish_reason": "COMPLETE",
          "message": {
            "role": "assistant",
            "content": [{"type": "text", "text": "The tallest penguins are Emperor penguins, and they only live in Antarctica."}],
            "citations": [
              {"start": 4, "end": 41, "text": "tallest penguins are Emperor penguins", "type": "TEXT_CONTENT",
               "sources": [{"type": "document", "id": "0", "document": {"id": "0", "snippet": "Emperor penguins are the tallest.", "title": "Tall penguins"}}]},
              {"start": 52, "end": 76, "text": "only live in Antarctica.", "type": "TEXT_CONTENT",
               "sources": [{"type": "document", "id": "1", "document": {"id": "1", "snippet": "Emperor penguins only live in Antarctica.", "title": "Penguin habitats"}}]}
            ]
          },
          "usage": {"billed_units": {"input_tokens": 41, "output_tokens": 15}, "tokens": {"input_tokens": 1079, "output_tokens": 53}}
        }
        """;

    // Source: Cohere docs, "Errors" (v2 reference): 429 "You are past the per minute request limit...", 400 "too many
    // tokens: ...", 401 "invalid api token"; bodies {"id", "message"}.
    private const string RateLimit429 = """{"id":"b9d3e0c5-6f27-4d5e-9c1a-2d7f0e8b4a61","message":"You are past the per minute request limit, please wait and try again later."}""";
    private const string TooManyTokens400 = """{"id":"0e5a8c7d-3b14-4f62-a9e0-7c1d2b3a4f58","message":"too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4292. Try using a shorter prompt, or enabling prompt truncating. See https://docs.cohere.com/reference/chat for more details."}""";
    private const string InvalidToken401 = """{"id":"7a1f2e3d-4c5b-4a69-8e7d-6c5b4a392817","message":"invalid api token"}""";

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task CocaColaStream_YieldsTheTextFinishReasonUsageAndId(int chunkSize)
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(Data("coca-cola-text.sse"), chunkSize));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        Assert.Equal(CocaColaText, merged.Text);
        Assert.Equal(101, updates.Count(u => u.Text.Length > 0));
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal(186, merged.Usage?.InputTokenCount);
        Assert.Equal(105, merged.Usage?.OutputTokenCount);
        Assert.Equal(21, merged.Usage?.AdditionalCounts?["billed_units.input_tokens"]);
        Assert.Equal("a8fc192e-4bb8-4e15-ae1f-a174e8b02ae8", merged.ResponseId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task ToolCallStream_YieldsThePlanAsReasoningAndBothCallsWithTheServerIds(int chunkSize)
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(Data("madrid-brasilia-tool-calls.sse"), chunkSize));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        Assert.Equal("I will search for the weather in Madrid and Brasilia.", Reasoning(updates));
        Assert.Equal(string.Empty, merged.Text);
        var calls = Calls(updates);
        Assert.Equal(["get_weather_p1t92w7gfgq7", "get_weather_ay6nmvjgp9vn"], calls.Select(c => c.CallId));
        Assert.Equal(["Madrid", "Brasilia"], calls.Select(c => Argument(c, "location")));
        Assert.Equal(ChatFinishReason.ToolCalls, merged.FinishReason);
        Assert.Equal(913, merged.Usage?.InputTokenCount);
        Assert.Equal(83, merged.Usage?.OutputTokenCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task CitationStream_YieldsTheToolResultCitationsOverTheirSpans(int chunkSize)
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(Data("madrid-brasilia-citations.sse"), chunkSize));
        using var client = Client(server);

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("It is currently 24°C in Madrid and 28°C in Brasilia.", merged.Text);
        var citations = merged.Messages.SelectMany(m => m.Contents).SelectMany(c => c.Annotations ?? []).OfType<CitationAnnotation>().ToList();
        Assert.Equal(["get_weather_m3kdvxncg1p8:0", "get_weather_cfwfh3wzkbrs:0"], citations.Select(c => c.FileId));
        Assert.Equal(["24°C", "28°C"], citations.Select(c => Span(merged.Text, c)));
        Assert.All(citations, c => Assert.Equal("tool", c.AdditionalProperties?["source_type"]));
        Assert.Equal(1061, merged.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task CitationStream_CutBeforeMessageEnd_DeliversTheTextThenThrowsTransient()
    {
        var whole = Data("madrid-brasilia-citations.sse");
        var cut = whole[..whole.IndexOf("event: citation-start", StringComparison.Ordinal)];
        await using var server = ReplayServer.Start(RecordedReply.Sse(cut, chunkSize: 9));
        using var client = Client(server);
        var text = string.Empty;

        var exception = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("What's the weather in Madrid and Brasilia?", cancellationToken: Guard()))
            {
                text += update.Text;
            }
        });

        Assert.Equal("It is currently 24°C in Madrid and 28°C in Brasilia.", text);
        Assert.True(exception.IsTransient);
        Assert.Contains("message-end", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PenguinResponse_ReturnsTheDocumentCitationsAsAnnotationsOverTheirSpans()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(PenguinResponse));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Where do the tallest penguins live?", cancellationToken: Guard());

        var text = Assert.IsType<TextContent>(Assert.Single(response.Messages.Single().Contents));
        var citations = text.Annotations!.OfType<CitationAnnotation>().ToList();
        Assert.Equal(["Tall penguins", "Penguin habitats"], citations.Select(c => c.Title));
        Assert.Equal(["tallest penguins are Emperor penguins", "only live in Antarctica."], citations.Select(c => Span(text.Text, c)));
        Assert.Equal("Emperor penguins only live in Antarctica.", citations[1].Snippet);
        Assert.Equal(1079, response.Usage?.InputTokenCount);
        Assert.Equal("c14c80c3-18eb-4519-9460-6c92edd8cfb4", response.ResponseId);
    }

    [Fact]
    public async Task RateLimit429_WithLongRetryAfter_FailsAtOnceWithTheMessageAndDelay()
    {
        await using var server = ReplayServer.Start(new RecordedReply(429, RateLimit429) { Headers = new Dictionary<string, string> { ["Retry-After"] = "60" } });
        using var client = Client(server);

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.TooManyRequests, exception.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), exception.RetryAfter);
        Assert.True(exception.IsTransient);
        Assert.Contains("per minute request limit", exception.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(400, TooManyTokens400, "too many tokens")]
    [InlineData(401, InvalidToken401, "invalid api token")]
    public async Task ClientErrors_AreNotRetriedAndCarryCoheresMessageWithoutTheKey(int status, string body, string message)
    {
        await using var server = ReplayServer.Start(new RecordedReply(status, body), RecordedReply.Json(PenguinResponse));
        using var client = Client(server);

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(status, (int?)exception.StatusCode);
        Assert.False(exception.IsTransient);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    internal static string Data(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Recorded", "Data", name));

    private static string Span(string text, CitationAnnotation citation)
    {
        var region = Assert.IsType<TextSpanAnnotatedRegion>(Assert.Single(citation.AnnotatedRegions!));
        return text[region.StartIndex!.Value..region.EndIndex!.Value];
    }

    private static CohereChatClient Client(ReplayServer server) =>
        new(new CohereOptions { Endpoint = server.BaseAddress, ApiKey = Key, Model = "command-a-03-2025", MaxRetryDelay = TimeSpan.FromSeconds(5) });
}
