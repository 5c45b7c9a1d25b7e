using System.Text.Json;
using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Tests.Sessions;

public sealed class ChatMessageSerializerTests
{
    private static T RoundTrip<T>(T content)
        where T : AIContent
    {
        var message = new ChatMessage(ChatRole.Assistant, [content]);
        var read = ChatMessageSerializer.Deserialize(ChatMessageSerializer.SerializeToUtf8Bytes(message));
        return Assert.IsType<T>(Assert.Single(read.Contents));
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value, ChatMessageSerializer.Options);

    [Fact]
    public void Serialize_IsCompactJsonThatReadsTheSameAsTheIndentedForm()
    {
        var message = new ChatMessage(ChatRole.Assistant, [new TextContent("hi"), new FunctionCallContent("c1", "f", new Dictionary<string, object?> { ["a"] = 1 })]);

        var compact = ChatMessageSerializer.Serialize(message);
        var indented = JsonSerializer.Serialize(message, AIJsonUtilities.DefaultOptions);

        Assert.DoesNotContain('\n', compact);
        Assert.True(compact.Length < indented.Length);
        Assert.Equal(compact, ChatMessageSerializer.Serialize(ChatMessageSerializer.Deserialize(indented)));
    }

    [Fact]
    public void Serialize_WritesARealReplacementCharacterAsItselfAndALoneSurrogateAsAnEscape()
    {
        // ChatHistoryValidator tells a lone surrogate from a real U+FFFD by this difference.
        Assert.Contains("a\uFFFDb", ChatMessageSerializer.Serialize(new ChatMessage(ChatRole.User, "a\uFFFDb")), StringComparison.Ordinal);
        Assert.Contains("a\\uFFFDb", ChatMessageSerializer.Serialize(new ChatMessage(ChatRole.User, "a\uD800b")), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_RoundTripsWithItsAdditionalProperties()
    {
        var read = RoundTrip(new TextContent("héllo \"world\" \\ ✓") { AdditionalProperties = new() { ["logprob"] = -0.25 } });

        Assert.Equal("héllo \"world\" \\ ✓", read.Text);
        Assert.Equal("-0.25", Json(read.AdditionalProperties!["logprob"]));
    }

    [Fact]
    public void DataFromBytes_RoundTripsBytesMediaTypeAndName()
    {
        byte[] bytes = [0, 1, 2, 0x89, 0xFF, 0x7F];

        var read = RoundTrip(new DataContent(bytes, "image/png") { Name = "dot.png" });

        Assert.Equal(bytes, read.Data.ToArray());
        Assert.Equal("image/png", read.MediaType);
        Assert.Equal("dot.png", read.Name);
    }

    [Fact]
    public void DataFromDataUri_RoundTrips()
    {
        var read = RoundTrip(new DataContent("data:audio/wav;base64,UklGRg==", "audio/wav"));

        Assert.Equal("RIFF"u8.ToArray(), read.Data.ToArray());
        Assert.Equal("audio/wav", read.MediaType);
    }

    [Fact]
    public void Uri_RoundTripsUriAndMediaType()
    {
        var read = RoundTrip(new UriContent(new Uri("https://example.com/a%20b.jpg?x=1#frag"), "image/jpeg"));

        Assert.Equal(new Uri("https://example.com/a%20b.jpg?x=1#frag"), read.Uri);
        Assert.Equal("image/jpeg", read.MediaType);
    }

    [Fact]
    public void FunctionCall_RoundTripsCallIdNameAndNestedArguments()
    {
        var arguments = new Dictionary<string, object?>
        {
            ["city"] = "Paris",
            ["days"] = 3,
            ["ratio"] = 0.5,
            ["options"] = new Dictionary<string, object?> { ["units"] = "metric", ["tags"] = new[] { "a", "b" } },
            ["missing"] = null,
        };

        var read = RoundTrip(new FunctionCallContent("call_9", "weather-forecast", arguments));

        Assert.Equal("call_9", read.CallId);
        Assert.Equal("weather-forecast", read.Name);
        Assert.Equal(arguments.Keys, read.Arguments!.Keys);
        Assert.Equal("Paris", ((JsonElement)read.Arguments["city"]!).GetString());
        Assert.Equal(3, ((JsonElement)read.Arguments["days"]!).GetInt32());
        Assert.Equal(Json(arguments), Json(read.Arguments));
    }

    [Fact]
    public void FunctionCall_WithoutArguments_RoundTripsNull()
    {
        Assert.Null(RoundTrip(new FunctionCallContent("c", "now")).Arguments);
    }

    [Fact]
    public void FunctionResult_RoundTripsCallIdAndResultAsJson()
    {
        var result = new Dictionary<string, object?> { ["temperature"] = 21.5, ["sky"] = "clear", ["hours"] = new[] { 1, 2 } };

        var read = RoundTrip(new FunctionResultContent("call_9", result));

        Assert.Equal("call_9", read.CallId);
        Assert.Equal(Json(result), Json(read.Result));
    }

    [Fact]
    public void FunctionResult_StringResult_RoundTrips()
    {
        Assert.Equal("plain", ((JsonElement)RoundTrip(new FunctionResultContent("c", "plain")).Result!).GetString());
    }

    [Fact]
    public void Usage_RoundTripsEveryCount()
    {
        var read = RoundTrip(new UsageContent(new UsageDetails
        {
            InputTokenCount = 10,
            OutputTokenCount = 20,
            TotalTokenCount = 30,
            AdditionalCounts = new() { ["reasoning"] = 5 },
        }));

        Assert.Equal(10, read.Details.InputTokenCount);
        Assert.Equal(20, read.Details.OutputTokenCount);
        Assert.Equal(30, read.Details.TotalTokenCount);
        Assert.Equal(5, read.Details.AdditionalCounts!["reasoning"]);
    }

    [Fact]
    public void Reasoning_RoundTripsTextAndProtectedData()
    {
        var read = RoundTrip(new TextReasoningContent("step by step") { ProtectedData = "sig==" });

        Assert.Equal("step by step", read.Text);
        Assert.Equal("sig==", read.ProtectedData);
    }

    [Fact]
    public void Error_RoundTripsMessageCodeAndDetails()
    {
        var read = RoundTrip(new ErrorContent("boom") { ErrorCode = "E1", Details = "more" });

        Assert.Equal(("boom", "E1", "more"), (read.Message, read.ErrorCode, read.Details));
    }

    [Fact]
    public void HostedFile_RoundTripsFileId()
    {
        Assert.Equal("file-123", RoundTrip(new HostedFileContent("file-123")).FileId);
    }

    [Fact]
    public void MessageProperties_RoundTrip()
    {
        var createdAt = new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(1234567);
        var message = new ChatMessage(new ChatRole("critic"), "hi")
        {
            AuthorName = "bob",
            MessageId = "m-1",
            CreatedAt = createdAt,
            AdditionalProperties = new() { ["n"] = 1, ["s"] = "x", ["list"] = new[] { true, false } },
        };

        var read = ChatMessageSerializer.Deserialize(ChatMessageSerializer.Serialize(message));

        Assert.Equal(new ChatRole("critic"), read.Role);
        Assert.Equal("bob", read.AuthorName);
        Assert.Equal("m-1", read.MessageId);
        Assert.Equal(createdAt, read.CreatedAt);
        Assert.Equal(createdAt.Offset, read.CreatedAt!.Value.Offset);
        Assert.Equal(Json(message.AdditionalProperties), Json(read.AdditionalProperties));
    }

    [Fact]
    public void RawRepresentation_IsNotSerialized()
    {
        var message = new ChatMessage(ChatRole.User, [new TextContent("t") { RawRepresentation = new object() }]) { RawRepresentation = "provider object" };

        var json = ChatMessageSerializer.Serialize(message);

        Assert.DoesNotContain("provider object", json, StringComparison.Ordinal);
        Assert.Null(ChatMessageSerializer.Deserialize(json).RawRepresentation);
    }

    [Fact]
    public void Deserialize_UnknownContentType_ThrowsJsonException()
    {
        Assert.ThrowsAny<JsonException>(() => ChatMessageSerializer.Deserialize("""{"role":"user","contents":[{"$type":"nope"}]}"""));
    }

    [Fact]
    public void Deserialize_JsonNull_ThrowsJsonException()
    {
        Assert.Throws<JsonException>(() => ChatMessageSerializer.Deserialize("null"));
    }
}
