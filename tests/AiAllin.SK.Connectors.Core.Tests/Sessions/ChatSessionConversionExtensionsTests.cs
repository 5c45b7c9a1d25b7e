#pragma warning disable SKEXP0001, SKEXP0110 // the assertions name SK's experimental content types
using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using MeaiContent = Microsoft.Extensions.AI;
using SkContent = Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Core.Tests.Sessions;

public sealed class ChatSessionConversionExtensionsTests
{
    [Fact]
    public void ToChatMessageContent_MapsRoleAuthorAndEveryContentKind()
    {
        var usage = new UsageDetails { InputTokenCount = 3 };
        var message = new ChatMessage(ChatRole.Assistant, [
            new MeaiContent.TextContent("hello"),
            new TextReasoningContent("thinking"),
            new DataContent(new byte[] { 1, 2 }, "image/png"),
            new DataContent(new byte[] { 3 }, "audio/wav"),
            new DataContent(new byte[] { 4 }, "application/pdf"),
            new UriContent(new Uri("https://x/y.jpg"), "image/jpeg"),
            new MeaiContent.FunctionCallContent("c1", "weather-get", new Dictionary<string, object?> { ["city"] = "Oslo" }),
            new MeaiContent.FunctionResultContent("c1", "sunny"),
            new UsageContent(usage),
            new ErrorContent("bad"),
        ])
        {
            AuthorName = "bot",
            AdditionalProperties = new() { ["k"] = "v" },
        };

        var content = message.ToChatMessageContent();

        Assert.Equal(AuthorRole.Assistant, content.Role);
        Assert.Equal("bot", content.AuthorName);
        Assert.Same(message, content.InnerContent);
        Assert.Equal("v", content.Metadata!["k"]);
        Assert.Same(usage, content.Metadata[ChatSessionConversionExtensions.UsageMetadataKey]);
        Assert.Equal("bad", Assert.Single((List<ErrorContent>)content.Metadata[ChatSessionConversionExtensions.ErrorsMetadataKey]!).Message);
        Assert.Collection(
            content.Items,
            i => Assert.Equal("hello", Assert.IsType<SkContent.TextContent>(i).Text),
            i => Assert.Equal("thinking", Assert.IsType<ReasoningContent>(i).Text),
            i => Assert.Equal(new byte[] { 1, 2 }, Assert.IsType<ImageContent>(i).Data!.Value.ToArray()),
            i => Assert.Equal("audio/wav", Assert.IsType<AudioContent>(i).MimeType),
            i => Assert.Equal("application/pdf", Assert.IsType<BinaryContent>(i).MimeType),
            i => Assert.Equal(new Uri("https://x/y.jpg"), Assert.IsType<ImageContent>(i).Uri),
            i =>
            {
                var call = Assert.IsType<SkContent.FunctionCallContent>(i);
                Assert.Equal(("c1", "weather-get", "Oslo"), (call.Id, call.FunctionName, call.Arguments!["city"]));
            },
            i =>
            {
                var result = Assert.IsType<SkContent.FunctionResultContent>(i);
                Assert.Equal(("c1", "weather-get", "sunny"), (result.CallId, result.FunctionName, result.Result));
            });
    }

    [Fact]
    public void ToChatHistory_ThenToChatMessages_KeepsTextCallsAndResults()
    {
        IReadOnlyList<ChatMessage> messages =
        [
            new(ChatRole.System, "sys"),
            new(ChatRole.User, "weather?"),
            new(ChatRole.Assistant, [new MeaiContent.FunctionCallContent("c1", "weather-get", new Dictionary<string, object?> { ["city"] = "Oslo" })]),
            new(ChatRole.Tool, [new MeaiContent.FunctionResultContent("c1", "sunny")]),
            new(ChatRole.Assistant, "It is sunny."),
        ];

        var back = messages.ToChatHistory().ToChatMessages();

        Assert.Equal(messages.Select(m => m.Role), back.Select(m => m.Role));
        Assert.Equal(messages.Select(m => m.Text), back.Select(m => m.Text));
        var call = Assert.IsType<MeaiContent.FunctionCallContent>(Assert.Single(back[2].Contents));
        Assert.Equal(("c1", "weather-get", "Oslo"), (call.CallId, call.Name, call.Arguments!["city"]));
        var result = Assert.IsType<MeaiContent.FunctionResultContent>(Assert.Single(back[3].Contents));
        Assert.Equal(("c1", "sunny"), (result.CallId, result.Result));
    }
}
