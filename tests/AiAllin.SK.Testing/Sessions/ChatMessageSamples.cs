using System.Text.Json;
using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;
using Xunit;

namespace AiAllin.SK.Testing.Sessions;

/// <summary>Messages with every content kind a store must round-trip, and an exact comparison for them.</summary>
public static class ChatMessageSamples
{
    /// <summary>
    /// A conversation using text, data (bytes and data URI), URIs, reasoning, function calls with arguments, function
    /// results, usage, errors, author names, message ids, creation times and additional properties.
    /// </summary>
    public static IReadOnlyList<ChatMessage> EveryContentKind() =>
    [
        new(ChatRole.System, "You are terse. Ünïcødé ✓ \"quotes\" \\ backslash"),
        new(ChatRole.User, [
            new TextContent("What is on this picture, and the weather in Paris?"),
            new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 255 }, "image/png") { Name = "pixel.png" },
            new DataContent("data:text/plain;base64,aGVsbG8=", "text/plain"),
            new UriContent(new Uri("https://example.com/photos/cat.jpg"), "image/jpeg"),
        ])
        {
            AuthorName = "alice",
            MessageId = "msg-1",
            CreatedAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 891, TimeSpan.FromHours(2)).AddTicks(2345),
            AdditionalProperties = new() { ["client"] = "web", ["attempt"] = 2, ["flags"] = new[] { "a", "b" } },
        },
        new(ChatRole.Assistant, [
            new TextReasoningContent("The user wants the weather; call the tool.") { ProtectedData = "opaque-signature" },
            new FunctionCallContent("call_1", "weather-get_forecast", new Dictionary<string, object?>
            {
                ["city"] = "Paris",
                ["days"] = 3,
                ["units"] = new Dictionary<string, object?> { ["temperature"] = "celsius" },
                ["hourly"] = true,
                ["note"] = null,
            }),
            new FunctionCallContent("call_2", "clock-now", null),
            new UsageContent(new UsageDetails
            {
                InputTokenCount = 120,
                OutputTokenCount = 30,
                TotalTokenCount = 150,
                AdditionalCounts = new() { ["cached"] = 64 },
            }),
        ])
        {
            MessageId = "msg-2",
        },
        new(ChatRole.Tool, [
            new FunctionResultContent("call_1", new Dictionary<string, object?> { ["temperature"] = 21.5, ["sky"] = "clear" }),
            new FunctionResultContent("call_2", "2025-03-04T05:06:07Z"),
        ]),
        new(ChatRole.Assistant, [
            new TextContent("It is a cat. Paris: 21.5 °C, clear.") { AdditionalProperties = new() { ["finish"] = "stop" } },
            new ErrorContent("partial outage") { ErrorCode = "E42", Details = "retry later" },
        ])
        {
            AuthorName = "weather-bot",
            CreatedAt = DateTimeOffset.UnixEpoch.AddDays(20000),
        },
        new(new ChatRole("critic"), "A custom role."),
    ];

    /// <summary>
    /// Asserts that two message lists are the same: every property above explicitly, then the whole JSON form
    /// (values typed <see cref="object"/> compare as JSON).
    /// </summary>
    public static void AssertEqual(IReadOnlyList<ChatMessage> expected, IReadOnlyList<ChatMessage> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal(e.Role, a.Role);
            Assert.Equal(e.AuthorName, a.AuthorName);
            Assert.Equal(e.MessageId, a.MessageId);
            Assert.Equal(e.CreatedAt, a.CreatedAt);
            Assert.Equal(e.CreatedAt?.Offset, a.CreatedAt?.Offset);
            Assert.Equal(e.Text, a.Text);
            Assert.Equal(e.Contents.Select(c => c.GetType()), a.Contents.Select(c => c.GetType()));
            for (var j = 0; j < e.Contents.Count; j++)
            {
                AssertContent(e.Contents[j], a.Contents[j]);
            }

            Assert.Equal(ChatMessageSerializer.Serialize(e), ChatMessageSerializer.Serialize(a));
        }
    }

    private static void AssertContent(AIContent expected, AIContent actual)
    {
        switch (expected)
        {
            case TextContent t:
                Assert.Equal(t.Text, ((TextContent)actual).Text);
                break;
            case TextReasoningContent r:
                Assert.Equal(r.Text, ((TextReasoningContent)actual).Text);
                Assert.Equal(r.ProtectedData, ((TextReasoningContent)actual).ProtectedData);
                break;
            case DataContent d:
                var ad = (DataContent)actual;
                Assert.Equal(d.MediaType, ad.MediaType);
                Assert.Equal(d.Data.ToArray(), ad.Data.ToArray());
                Assert.Equal(d.Name, ad.Name);
                break;
            case UriContent u:
                Assert.Equal(u.Uri, ((UriContent)actual).Uri);
                Assert.Equal(u.MediaType, ((UriContent)actual).MediaType);
                break;
            case FunctionCallContent c:
                var ac = (FunctionCallContent)actual;
                Assert.Equal(c.CallId, ac.CallId);
                Assert.Equal(c.Name, ac.Name);
                Assert.Equal(Json(c.Arguments), Json(ac.Arguments));
                break;
            case FunctionResultContent f:
                var af = (FunctionResultContent)actual;
                Assert.Equal(f.CallId, af.CallId);
                Assert.Equal(Json(f.Result), Json(af.Result));
                break;
            case UsageContent usage:
                var au = ((UsageContent)actual).Details;
                Assert.Equal(usage.Details.InputTokenCount, au.InputTokenCount);
                Assert.Equal(usage.Details.OutputTokenCount, au.OutputTokenCount);
                Assert.Equal(usage.Details.TotalTokenCount, au.TotalTokenCount);
                Assert.Equal(usage.Details.AdditionalCounts, au.AdditionalCounts);
                break;
            case ErrorContent error:
                var ae = (ErrorContent)actual;
                Assert.Equal(error.Message, ae.Message);
                Assert.Equal(error.ErrorCode, ae.ErrorCode);
                Assert.Equal(error.Details, ae.Details);
                break;
            default:
                break;
        }

        Assert.Equal(Json(expected.AdditionalProperties), Json(actual.AdditionalProperties));
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value, ChatMessageSerializer.Options);
}
