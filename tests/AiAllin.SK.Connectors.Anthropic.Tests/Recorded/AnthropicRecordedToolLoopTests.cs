using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.Anthropic.Tests.Recorded;

// With extended thinking and tools, Anthropic rejects the next turn unless the assistant's thinking and
// redacted_thinking blocks come back unchanged (extended-thinking docs, "Preserving thinking blocks"). These replay
// the recorded first turn and check what our client sends on the second.
public sealed class AnthropicRecordedToolLoopTests
{
    // Shape: extended-thinking docs, streamed thinking + tool_use turn (signature_delta before the block ends).
    private const string ThinkingToolUseStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01LoopA","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":556,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":4,"service_tier":"standard"}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"I should look up the weather."}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIMSigLoopSignature0123456789abcdefgh=="}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgyRedactedLoopData0123456789abcdef=="}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: content_block_start
        data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01LoopCall0123456789abc","name":"get_weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"location\": \"Paris\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":2}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":120}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    private const string FinalStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01LoopB","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":700,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"It is 22 °C in Paris."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":12}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    [Fact]
    public async Task ToolLoopAfterThinking_SendsTheThinkingBlocksBackUnchanged()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(ThinkingToolUseStream), RecordedReply.Sse(FinalStream));
        using var inner = new AnthropicChatClient(new AnthropicOptions { ApiKey = "sk-ant-api03-recorded0123456789abcdef", Model = "claude-sonnet-4-5-20250929", Endpoint = server.BaseAddress, MaxRetries = 0, MaxTokens = 4096, ThinkingBudgetTokens = 1024 });
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((string location) => "22 °C", "get_weather")] };

        var text = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync("Weather in Paris?", options, Guard()))
        {
            text += update.Text;
        }

        Assert.Equal("It is 22 °C in Paris.", text);
        Assert.Equal(2, server.Requests.Count);
        var messages = JsonNode.Parse(server.Requests[1].Body)!["messages"]!.AsArray();
        var assistant = messages.Single(m => (string?)m!["role"] == "assistant")!["content"]!.AsArray();
        var thinking = assistant.Single(b => (string?)b!["type"] == "thinking")!;
        Assert.Equal("I should look up the weather.", (string?)thinking["thinking"]);
        Assert.Equal("EqQBCgIYAhIMSigLoopSignature0123456789abcdefgh==", (string?)thinking["signature"]);
        var redacted = assistant.Single(b => (string?)b!["type"] == "redacted_thinking")!;
        Assert.Equal("EmwKAhgBEgyRedactedLoopData0123456789abcdef==", (string?)redacted["data"]);
        var toolUse = assistant.Single(b => (string?)b!["type"] == "tool_use")!;
        Assert.Equal("toolu_01LoopCall0123456789abc", (string?)toolUse["id"]);
        Assert.Equal("Paris", (string?)toolUse["input"]!["location"]);
        Assert.Equal("thinking", (string?)assistant[0]!["type"]);
        var result = messages.Last()!["content"]!.AsArray().Single(b => (string?)b!["type"] == "tool_result")!;
        Assert.Equal("toolu_01LoopCall0123456789abc", (string?)result["tool_use_id"]);
    }
}
