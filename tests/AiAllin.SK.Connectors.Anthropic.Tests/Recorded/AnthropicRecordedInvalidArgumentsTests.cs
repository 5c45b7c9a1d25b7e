using AiAllin.SK.Testing.Providers.Recorded;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Anthropic.Tests.Recorded;

/// <summary>
/// A recorded tool_use turn whose streamed input does not form JSON: through the kernel the plugin function never runs
/// with empty arguments, and the model gets the tool loop's error result for that call.
/// </summary>
public sealed class AnthropicRecordedInvalidArgumentsTests
{
    // Shape: AnthropicRecordedTests.ToolUseStream with the input_json_delta pieces leaving a value unquoted.
    private const string BadToolUseStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01BadArgs","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_01BadArgs0123456789abcd","name":"Weather_Get","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"city\": Bra"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"tislava"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":40}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    private const string FinalStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01Final","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":520,"output_tokens":1},"content":[],"stop_reason":null}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Neviem."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    [Fact]
    public async Task ThroughTheKernel_NeverRunsThePluginAndTheModelGetsAnError()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(BadToolUseStream, chunkSize: 23), RecordedReply.Sse(FinalStream));
        var builder = Kernel.CreateBuilder();
        builder.AddAnthropicChatClient(o =>
        {
            o.ApiKey = "sk-ant-api03-recorded0123456789abcdef";
            o.Model = "claude-sonnet-4-5-20250929";
            o.Endpoint = server.BaseAddress;
            o.MaxRetries = 0;
        });
        var (text, cities) = await InvalidToolArgumentsRun.StreamAsync(builder);

        Assert.Empty(cities);
        Assert.Equal("Neviem.", text);
        Assert.Contains("toolu_01BadArgs0123456789abcd", server.Requests[1].Body, StringComparison.Ordinal);
        Assert.Contains(InvalidToolArgumentsRun.ErrorResult, server.Requests[1].Body, StringComparison.Ordinal);
    }
}
