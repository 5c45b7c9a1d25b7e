using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AiAllin.SK.Connectors.Core.Http;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Anthropic.Tests;

public sealed class AnthropicUsagePatchTests
{
    [Fact]
    public void TryPatch_WithoutServerToolUse_LeavesTheJsonAlone()
    {
        Assert.Null(AnthropicUsagePatch.TryPatch("""{"usage":{"input_tokens":1,"output_tokens":2}}"""u8));
    }

    [Fact]
    public void TryPatch_CompleteServerToolUse_LeavesTheJsonAlone()
    {
        Assert.Null(AnthropicUsagePatch.TryPatch("""{"usage":{"server_tool_use":{"web_search_requests":1,"web_fetch_requests":0}}}"""u8));
    }

    [Fact]
    public void TryPatch_MissingWebFetchCount_AddsZeroAndKeepsEverythingElse()
    {
        var patched = AnthropicUsagePatch.TryPatch("""{"type":"message_delta","usage":{"output_tokens":510,"server_tool_use":{"web_search_requests":2}}}"""u8);

        var node = JsonNode.Parse(patched!)!;
        Assert.Equal(0, (int)node["usage"]!["server_tool_use"]!["web_fetch_requests"]!);
        Assert.Equal(2, (int)node["usage"]!["server_tool_use"]!["web_search_requests"]!);
        Assert.Equal(510, (int)node["usage"]!["output_tokens"]!);
        Assert.Equal("message_delta", (string?)node["type"]);
    }

    [Fact]
    public async Task GuardStream_RewritesOnlyTheIncompleteUsageEvent()
    {
        const string before = "event: ping\ndata: {\"type\":\"ping\"}\n\n";
        const string usage = "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":5,\"server_tool_use\":{\"web_search_requests\":1}}}\n\n";
        const string after = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        using var guard = new SseGuardStream(new MemoryStream(Encoding.UTF8.GetBytes(before + usage + after)), new AnthropicSseEventValidator(apiKey: null));
        using var reader = new StreamReader(guard);

        var text = await reader.ReadToEndAsync();

        Assert.StartsWith(before + "event: message_delta\ndata: ", text, StringComparison.Ordinal);
        Assert.EndsWith("\n\n" + after, text, StringComparison.Ordinal);
        Assert.Contains("\"server_tool_use\":{\"web_search_requests\":1,\"web_fetch_requests\":0}", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Client_ResponseWithWebSearchCountOnly_YieldsTextAndUsage(bool streaming)
    {
        using var handler = new FixedResponseHandler(streaming);
        using var client = new AnthropicChatClient(new AnthropicOptions { ApiKey = "sk-ant-api03-usage-patch-0123456789", Model = "claude-x", MaxRetries = 0 }, innerHandler: handler);

        var response = streaming ? await client.GetStreamingResponseAsync("hi").ToChatResponseAsync() : await client.GetResponseAsync("hi");

        Assert.Equal("Sunny.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(7, response.Usage?.OutputTokenCount);
    }

    private sealed class FixedResponseHandler(bool streaming) : HttpMessageHandler
    {
        private const string Usage = "\"usage\":{\"input_tokens\":3,\"output_tokens\":7,\"server_tool_use\":{\"web_search_requests\":1}}";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = streaming
                ? new StringContent(
                    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n"
                    + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                    + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Sunny.\"}}\n\n"
                    + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                    + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null}," + Usage + "}\n\n"
                    + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
                    Encoding.UTF8,
                    "text/event-stream")
                : new StringContent(
                    "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[{\"type\":\"text\",\"text\":\"Sunny.\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null," + Usage + "}",
                    Encoding.UTF8,
                    "application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }
}
