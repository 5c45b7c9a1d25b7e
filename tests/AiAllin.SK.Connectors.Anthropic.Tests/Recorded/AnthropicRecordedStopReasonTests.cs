using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.Anthropic.Tests.Recorded;

// Recorded Anthropic answers that end for other reasons than end_turn, non-streamed mixed content, and prompt-cache
// usage.
public sealed class AnthropicRecordedStopReasonTests
{
    // Shape: Anthropic "Handling stop reasons" docs: max_tokens in message_delta.
    private const string MaxTokensStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01MaxTok","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Once upon a"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":3}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    // Shape: "Handling stop reasons" docs: a streaming classifier refusal (Claude 4 models) — stop_reason "refusal".
    private const string RefusalStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01Refuse","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"refusal","stop_sequence":null},"usage":{"output_tokens":2}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    // Shape: stop_sequence with the matched sequence named.
    private const string StopSequenceMessage = """
        {"id":"msg_01StopSeq","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[{"type":"text","text":"1, 2, 3"}],"stop_reason":"stop_sequence","stop_sequence":", 4","usage":{"input_tokens":14,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":7,"service_tier":"standard"}}
        """;

    // Shape: extended-thinking docs with tool use, non-streaming: thinking (with signature), text, tool_use.
    private const string ThinkingToolUseMessage = """
        {
          "id": "msg_01ThinkTool",
          "type": "message",
          "role": "assistant",
          "model": "claude-sonnet-4-5-20250929",
          "content": [
            {"type": "thinking", "thinking": "The user wants the weather in Paris; I'll call get_weather.", "signature": "WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL"},
            {"type": "text", "text": "I'll check the weather."},
            {"type": "tool_use", "id": "toolu_01CswdEQBMshySk6Y9DFKrfq", "name": "get_weather", "input": {"location": "Paris, France"}}
          ],
          "stop_reason": "tool_use",
          "stop_sequence": null,
          "usage": {"input_tokens": 556, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 142, "service_tier": "standard"}
        }
        """;

    // Shape: prompt-caching docs: a cache hit reports input_tokens (uncached part only) beside cache_read and
    // cache_creation counts.
    private const string CacheHitMessage = """
        {"id":"msg_01CacheHit","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Summary."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":1800,"cache_creation":{"ephemeral_5m_input_tokens":200,"ephemeral_1h_input_tokens":0},"output_tokens":4,"service_tier":"standard"}}
        """;

    [Fact]
    public async Task MaxTokensStream_ReportsLength()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(MaxTokensStream));
        using var client = Client(server);

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("Once upon a", merged.Text);
        Assert.Equal(ChatFinishReason.Length, merged.FinishReason);
    }

    [Fact]
    public async Task RefusalStream_ReportsContentFilter()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(RefusalStream));
        using var client = Client(server);

        var (_, merged) = await StreamAsync(client);

        Assert.Equal(ChatFinishReason.ContentFilter, merged.FinishReason);
    }

    [Fact]
    public async Task StopSequenceMessage_ReportsStop()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(StopSequenceMessage));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Count", cancellationToken: Guard());

        Assert.Equal("1, 2, 3", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task ThinkingToolUseMessage_YieldsReasoningTextAndTheCall()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(ThinkingToolUseMessage));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Weather in Paris?", cancellationToken: Guard());

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var reasoning = Assert.Single(contents.OfType<TextReasoningContent>());
        Assert.Equal("The user wants the weather in Paris; I'll call get_weather.", reasoning.Text);
        Assert.Equal("WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL", reasoning.ProtectedData);
        Assert.Equal("I'll check the weather.", response.Text);
        var call = Assert.Single(Calls(response));
        Assert.Equal("toolu_01CswdEQBMshySk6Y9DFKrfq", call.CallId);
        Assert.Equal("Paris, France", Argument(call, "location"));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task CacheHitMessage_CountsCachedInputAsInput()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(CacheHitMessage));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Summarise", cancellationToken: Guard());

        // M.E.AI's InputTokenCount is all input the model read (OpenAI's prompt_tokens includes cached tokens too);
        // Anthropic's input_tokens is only the part after the last cache breakpoint.
        Assert.Equal(2010, response.Usage?.InputTokenCount);
        Assert.Equal(1800, response.Usage?.CachedInputTokenCount);
        Assert.Equal(4, response.Usage?.OutputTokenCount);
    }

    private static AnthropicChatClient Client(ReplayServer server) =>
        new(new AnthropicOptions { ApiKey = "sk-ant-api03-recorded0123456789abcdef", Model = "claude-sonnet-4-5-20250929", Endpoint = server.BaseAddress, MaxRetries = 0 });
}
