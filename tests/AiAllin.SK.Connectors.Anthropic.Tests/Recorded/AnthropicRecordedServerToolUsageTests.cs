using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.Anthropic.Tests.Recorded;

// usage.server_tool_use as the docs and older API versions write it (web_search_requests only): the Anthropic SDK
// requires web_fetch_requests and used to fail the answer after its text (recorded-traffic finding A1).
public sealed class AnthropicRecordedServerToolUsageTests
{
    // Shape: the Anthropic web search tool docs' own streaming example (and older API captures): server_tool_use usage
    // with web_search_requests only, no web_fetch_requests.
    private const string ServerToolUseDocsStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01G7aB8cD9eF0gH1iJ2kL3mN","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":2679,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"It is sunny in New York today."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10682,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":510,"server_tool_use":{"web_search_requests":1}}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    // Shape: the web search tool docs' non-streaming response usage.
    private const string ServerToolUseDocsMessage = """
        {"id":"msg_01WsDocs","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"server_tool_use","id":"srvtoolu_01WYG3ziw53XMcoyKL4XcZmE","name":"web_search","input":{"query":"claude shannon birth date"}},{"type":"web_search_tool_result","tool_use_id":"srvtoolu_01WYG3ziw53XMcoyKL4XcZmE","content":[{"type":"web_search_result","url":"https://en.wikipedia.org/wiki/Claude_Shannon","title":"Claude Shannon - Wikipedia","encrypted_content":"EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5LTQ1NGUtODgxNC1kNjNjNTk1ZWI3Y","page_age":"April 30, 2025"}]},{"type":"text","text":"Claude Shannon was born on April 30, 1916."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":6039,"output_tokens":931,"server_tool_use":{"web_search_requests":1}}}
        """;

    [Fact]
    public async Task ServerToolUsageWithoutWebFetchCount_InAWholeMessage_YieldsTextAndUsage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(ServerToolUseDocsMessage));
        using var client = new AnthropicChatClient(new AnthropicOptions { ApiKey = "sk-ant-api03-recorded0123456789abcdef", Model = "claude-sonnet-4-5-20250929", Endpoint = server.BaseAddress, MaxRetries = 0 });

        var response = await client.GetResponseAsync("When was Claude Shannon born?", cancellationToken: Guard());

        Assert.Equal("Claude Shannon was born on April 30, 1916.", response.Text);
        Assert.DoesNotContain(Calls(response), c => !c.InformationalOnly);
        Assert.Equal(931, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task ServerToolUsageWithoutWebFetchCount_StillYieldsTextAndUsage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(ServerToolUseDocsStream));
        using var client = new AnthropicChatClient(new AnthropicOptions { ApiKey = "sk-ant-api03-recorded0123456789abcdef", Model = "claude-sonnet-4-5-20250929", Endpoint = server.BaseAddress, MaxRetries = 0 });

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("It is sunny in New York today.", merged.Text);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal(510, merged.Usage?.OutputTokenCount);
    }
}
