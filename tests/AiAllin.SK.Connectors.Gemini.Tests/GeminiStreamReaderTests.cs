using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;
using AiAllin.SK.Testing.Providers.Recorded;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Gemini.Tests;

public sealed class GeminiStreamReaderTests
{
    private const string Key = "AIzaSyReader-0123456789abcdefghijklmnop";

    [Theory]
    [InlineData("""{"candidates": "not an array"}""")]
    [InlineData("""{"candidates": [{"content": {"parts": [{"text": 5}]}}]}""")]
    [InlineData("""{"usageMetadata": {"promptTokenCount": "many"}}""")]
    [InlineData("""{"candidates": []} trailing""")]
    public void ChunkReader_WrongShape_ThrowsJsonException(string json)
        => Assert.ThrowsAny<JsonException>(() => new GeminiChunkReader().Read(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void ChunkReader_ReusesTheStringsEveryChunkRepeats()
    {
        var reader = new GeminiChunkReader();
        var json = """{"candidates":[{"content":{"parts":[{"text":"a"}],"role":"model"}}],"modelVersion":"gemini-2.5-flash","responseId":"r1","extra":{"deep":[1,2,{"x":null}]}}"""u8.ToArray();

        var first = reader.Read(json);
        var second = reader.Read(json);

        Assert.Same(first.ModelVersion, second.ModelVersion);
        Assert.Same(first.ResponseId, second.ResponseId);
        Assert.Same(first.Candidates![0].Content!.Role, second.Candidates![0].Content!.Role);
        Assert.Equal("a", second.Candidates[0].Content!.Parts![0].Text);
    }

    [Fact]
    public void ChunkReader_StreamErrorObject_IsToldFromAChunk_WithoutReadingFurther()
    {
        var reader = new GeminiChunkReader();

        var isChunk = reader.TryReadChunk("""{"error": {"code": 429, "message": "Resource exhausted.", "status": "RESOURCE_EXHAUSTED"}"""u8, out var response);

        Assert.False(isChunk);
        Assert.Null(response);
        Assert.True(reader.TryReadChunk("""{"usageMetadata": {"totalTokenCount": 3}, "error": null}"""u8, out var chunk));
        Assert.Equal(3, chunk.UsageMetadata!.TotalTokenCount);
    }

    [Fact]
    public void ChunkReader_EscapedPropertyNames_AreReadLikePlainOnes()
    {
        var response = new GeminiChunkReader().Read("""{"c\u0061ndidates":[{"content":{"p\u0061rts":[{"te\u0078t":"hi"}]}}],"usageMetadata":{"tot\u0061lTokenCount":7}}"""u8);

        Assert.Equal("hi", response.Candidates![0].Content!.Parts![0].Text);
        Assert.Equal(7, response.UsageMetadata!.TotalTokenCount);
    }

    [Fact]
    public void ResponseReader_InlineAndFileData_BecomeDataAndUriContent()
    {
        var json = """{"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},{"fileData":{"mimeType":"application/pdf","fileUri":"https://generativelanguage.googleapis.com/v1beta/files/f1"}}],"role":"model"},"finishReason":"STOP"}]}"""u8.ToArray();

        var response = new GeminiResponseReader().ToResponse(new GeminiChunkReader().Read(json));

        var contents = response.Messages.Single().Contents;
        var image = Assert.IsType<DataContent>(contents[0]);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal(Convert.FromBase64String("iVBORw0KGgo="), image.Data.ToArray());
        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/files/f1", Assert.IsType<UriContent>(contents[1]).Uri.AbsoluteUri);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public void Validator_FlagsMalformedDataAndErrorObjects_AndPassesChunks()
    {
        var validator = new GeminiSseEventValidator(Key);

        var malformed = validator.Validate(new SseEvent(default, Encoding.UTF8.GetBytes("{\"candidates\": [" + Key), 3));
        var error = validator.Validate(new SseEvent(default, """{"error": {"code": 500, "message": "Internal error encountered.", "status": "INTERNAL"}}"""u8, 4));
        var chunk = validator.Validate(new SseEvent(default, """{"candidates": [], "error_like": 1}"""u8, 5));

        var stream = Assert.IsType<ProviderStreamException>(malformed);
        Assert.Equal(3, stream.ChunkNumber);
        Assert.DoesNotContain(Key, stream.Message, StringComparison.Ordinal);
        Assert.Equal("INTERNAL", error!.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Null(chunk);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task Stream_WrongShapeMidStream_DeliversTheEarlierUpdateThenNamesTheEvent(int chunkSize)
    {
        const string Body = """
            data: {"candidates": [{"content": {"parts": [{"text": "Hello"}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.5-flash","responseId": "r"}

            data: {"candidates": [{"content": {"parts": "oops"}}]}


            """;
        await using var replay = ReplayServer.Start(RecordedReply.Sse(Body, chunkSize));
        using var client = new GeminiChatClient(new GeminiOptions { Endpoint = replay.BaseAddress, ApiKey = Key, Model = "gemini-2.5-flash" });
        var received = new List<string>();

        var exception = await Assert.ThrowsAsync<ProviderStreamException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["Hello"], received);
        Assert.Equal(2, exception.ChunkNumber);
        Assert.Contains("oops", exception.Chunk, StringComparison.Ordinal);
        Assert.Equal("Gemini", exception.Provider);
    }
}
