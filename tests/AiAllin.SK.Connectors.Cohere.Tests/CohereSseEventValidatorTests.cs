using System.Text;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.Cohere.Tests;

public sealed class CohereSseEventValidatorTests
{
    private const string Key = "co-validator-3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f";
    private readonly CohereSseEventValidator _validator = new(Key);

    [Theory]
    [InlineData("content-delta", """{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"an \"error\" in the text"}}}}""")]
    [InlineData("message-end", """{"type":"message-end","delta":{"finish_reason":"COMPLETE","error":null,"usage":{"tokens":{"input_tokens":1,"output_tokens":2}}}}""")]
    [InlineData("message", "[DONE]")]
    [InlineData("message", "")]
    public void Validate_PassesDocumentedEvents(string eventType, string data) =>
        Assert.Null(_validator.Validate(eventType, Encoding.UTF8.GetBytes(data), 3));

    [Fact]
    public void Validate_MessageEndWithAnError_IsAProviderExceptionWithTheMessage()
    {
        var failure = _validator.Validate("message-end", """{"type":"message-end","delta":{"error":"internal server error, this has been reported to our developers","finish_reason":"ERROR"}}"""u8, 40);

        Assert.IsNotType<ProviderStreamException>(failure);
        Assert.Equal("ERROR", failure!.ErrorCode);
        Assert.Contains("internal server error", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AnApiErrorBodyAsEventData_IsAProviderException()
    {
        var failure = _validator.Validate("message", """{"id":"0b0c","message":"invalid request: message must be at least 1 token long"}"""u8, 1);

        Assert.Contains("at least 1 token long", failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MalformedData_NamesTheEventAndNeverTheKey()
    {
        var failure = Assert.IsType<ProviderStreamException>(_validator.Validate("content-delta", Encoding.UTF8.GetBytes("{\"type\":\"content-delta\",\"delta\":{\"text\":\"" + Key + "\""), 7));

        Assert.Equal(7, failure.ChunkNumber);
        Assert.Contains("Cohere", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_WithValidJsonOfTheWrongShape_ThrowsAStreamExceptionAfterTheEarlierEvents()
    {
        const string body = "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"ok\"}}}}\n\n"
            + "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":42}}}}\n\n";
        var texts = new List<string?>();

        var failure = await Assert.ThrowsAsync<ProviderStreamException>(async () =>
        {
            await foreach (var item in CohereEventStream.Read(new MemoryStream(Encoding.UTF8.GetBytes(body)), _validator))
            {
                texts.Add(item.Text);
            }
        });

        Assert.Equal(["ok"], texts);
        Assert.Equal(2, failure.ChunkNumber);
    }

    [Fact]
    public async Task Stream_KindComesFromTheJsonType_EvenEscaped_OrFromTheSseEventField()
    {
        const string Body = "data: {\"type\":\"content-\\u0064elta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"a\"}}}}\r\n\r\n"
            + "event: tool-plan-delta\ndata: {\"delta\":{\"message\":{\"tool_plan\":\"b\"}}}\n\n"
            + ": keep-alive\n\ndata: [DONE]\n\n";
        var kinds = new List<(Wire.CohereStreamEventKind Kind, string? Text)>();

        await foreach (var item in CohereEventStream.Read(new MemoryStream(Encoding.UTF8.GetBytes(Body)), _validator))
        {
            kinds.Add((item.Kind, item.Text ?? item.ToolPlan));
        }

        Assert.Equal([(Wire.CohereStreamEventKind.ContentDelta, "a"), (Wire.CohereStreamEventKind.ToolPlanDelta, "b")], kinds);
    }

    [Theory]
    [InlineData("{\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"KEY")]
    [InlineData("{\"type\":\"content-delta\",\"index\":0} KEY")]
    [InlineData("{\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":KEY}}}}")]
    public async Task Stream_WithMalformedJson_IsCaughtByTheOnePassParser_RedactedAndAfterTheEarlierEvents(string malformed)
    {
        var body = "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"ok\"}}}}\n\n"
            + "event: content-delta\ndata: " + malformed.Replace("KEY", Key, StringComparison.Ordinal) + "\n\n";
        var texts = new List<string?>();

        var failure = await Assert.ThrowsAsync<ProviderStreamException>(async () =>
        {
            await foreach (var item in CohereEventStream.Read(new MemoryStream(Encoding.UTF8.GetBytes(body)), _validator))
            {
                texts.Add(item.Text);
            }
        });

        Assert.Equal(["ok"], texts);
        Assert.Equal(2, failure.ChunkNumber);
        Assert.DoesNotContain(Key, failure.ToString(), StringComparison.Ordinal);
    }
}
