using System.Net;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.Anthropic.Tests.Recorded;

// Transcripts of api.anthropic.com as the Messages streaming docs and captured traffic show them, trimmed to what
// matters; kept: spaces after ':' in some events (the docs' own formatting), ping, cache usage fields, cache_creation
// object, service_tier, tool_use start with "input": {} and an empty first partial_json, thinking with signature_delta,
// redacted_thinking, server_tool_use blocks, and message_delta usage that repeats the input counts.
public sealed class AnthropicRecordedTests
{
    private const string Key = "sk-ant-api03-recorded0123456789abcdef";

    // Shape: Anthropic "Streaming Messages" docs, basic request (also shown in codex.kylestratis.com's event notes),
    // with the usage fields current API versions put in message_start.
    private const string TextStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01UodR8c3ezAK8rAfi8HAs8g","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":17,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":3,"service_tier":"standard"}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"! How can I help — today?"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":17,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":12}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    // Shape: Anthropic "Streaming Messages" docs, "Streaming request with tool use": text block, then a tool_use
    // block started with "input": {} and an empty first input_json_delta, stop_reason tool_use.
    private const string ToolUseStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay, let's check the weather for San Francisco, CA:"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"location\":"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \"San Fra"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ncisco, CA\", \"unit\": \"fah"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"renheit\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    // Shape: a tool taking no arguments: the tool_use block's only input_json_delta is empty (the docs' note that
    // partial_json may be empty), so the arguments are {}.
    private const string NoArgumentToolUseStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01NoArgs","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":300,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_01Kq2zXwY3vU4tS5rQ6pO7nM","name":"get_time","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":33}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    // Shape: Anthropic "Building with extended thinking" docs, streaming example: thinking_delta events, a
    // signature_delta just before content_block_stop, then the text block.
    private const string ThinkingStream = """
        event: message_start
        data: {"type": "message_start", "message": {"id": "msg_01DnUjWqTvhBwEXkmHkq6UXs", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5-20250929", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 48, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 5, "service_tier": "standard"}}}

        event: content_block_start
        data: {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": "", "signature": ""}}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147"}}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "\n462 = 3 × 147 + 21\n147 = 7 × 21 + 0"}}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds3Kq9fYHnVWW2LX2VtQ8aS6uP0r2Lh0="}}

        event: content_block_stop
        data: {"type": "content_block_stop", "index": 0}

        event: content_block_start
        data: {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "The greatest common divisor of 1071 and 462 is **21**."}}

        event: content_block_stop
        data: {"type": "content_block_stop", "index": 1}

        event: message_delta
        data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": 147}}

        event: message_stop
        data: {"type": "message_stop"}


        """;

    // Shape: extended-thinking docs, "Thinking redaction": a redacted_thinking block arrives whole in
    // content_block_start (no deltas) and must be passed back unchanged on the next turn.
    private const string RedactedThinkingStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01Redacted","type":"message","role":"assistant","content":[],"model":"claude-3-7-sonnet-20250219","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":92,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj2pLmN0Jt9wHUIb1aa9IAK="}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Here is my answer."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":40}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    // Shape: Anthropic web search tool docs, streaming example: server_tool_use (run by Anthropic, not by us), its
    // web_search_tool_result block, a text block with a citations_delta, and server_tool_use usage in message_delta
    // with both counters, as current api.anthropic.com captures show ({"web_search_requests":1,"web_fetch_requests":0}).
    private const string ServerToolUseStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01G7aB8cD9eF0gH1iJ2kL3mN","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":2679,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3,"service_tier":"standard"}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","name":"web_search","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"query\": \"weather NYC today\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","content":[{"type":"web_search_result","title":"Weather in New York City in May 2025","url":"https://www.example.com/nyc-weather","encrypted_content":"Ev0DCioIAxgCIiQ3NmU4ZmI4OC1kZTAyLTRkOTktODAxZi1mMjg4","page_age":null}]}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: content_block_start
        data: {"type":"content_block_start","index":2,"content_block":{"type":"text","text":"","citations":[]}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":2,"delta":{"type":"citations_delta","citation":{"type":"web_search_result_location","cited_text":"Sunny, high 75°F.","url":"https://www.example.com/nyc-weather","title":"Weather in New York City in May 2025","encrypted_index":"Eo8BCioIAhgBIiQyYjQ0OWJmZi1lNm"}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"It is sunny in New York today."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":2}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10682,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":510,"server_tool_use":{"web_search_requests":1,"web_fetch_requests":0}}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    // Shape: Anthropic "Streaming Messages" docs, "Error events": an overloaded_error event mid-stream (HTTP 200).
    private const string OverloadedMidStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01Overload","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":20,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Partial"}}

        event: error
        data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}


        """;

    // Shape: Anthropic API reference, non-streaming Messages response with cache usage fields.
    private const string Message = """
        {
          "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
          "type": "message",
          "role": "assistant",
          "model": "claude-sonnet-4-5-20250929",
          "content": [
            {
              "type": "text",
              "text": "Hi! My name is Claude."
            }
          ],
          "stop_reason": "end_turn",
          "stop_sequence": null,
          "usage": {
            "input_tokens": 2095,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
            "output_tokens": 503,
            "service_tier": "standard"
          }
        }
        """;

    // Shape: Anthropic "Errors" docs: the error envelope with request_id.
    private const string Overloaded529 = """
        {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}
        """;

    private const string RateLimit429 = """
        {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization (3f1e6b2a-1c2d-4e5f-8a9b-0c1d2e3f4a5b) of 50 input tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase."},"request_id":"req_011CVbFh2M3ZxCTm5wJ8kQ9p"}
        """;

    private const string InvalidRequest400 = """
        {"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5-20250929"},"request_id":"req_011CVbFk7aB8cD9eF0gH1iJ2"}
        """;

    private const string Authentication401 = """
        {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CVbFmKq2zXwY3vU4tS5rQ"}
        """;

    [Fact]
    public async Task TextStream_WithPingAndCacheUsage_YieldsTextStopUsageAndIds()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(TextStream));
        using var client = Client(server);

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("Hello! How can I help — today?", merged.Text);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal(17, merged.Usage?.InputTokenCount);
        Assert.Equal(12, merged.Usage?.OutputTokenCount);
        Assert.Equal("claude-haiku-4-5-20251001", merged.ModelId);
        Assert.Equal("msg_01UodR8c3ezAK8rAfi8HAs8g", merged.ResponseId);
    }

    [Fact]
    public async Task TextStream_CutAtOddByteBoundaries_YieldsTheSameText()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(TextStream, chunkSize: 5));
        using var client = Client(server);

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("Hello! How can I help — today?", merged.Text);
        Assert.Equal(12, merged.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task ToolUseStream_YieldsTextThenOneCallWithTheServerIdAndParsedInput()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(ToolUseStream));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        Assert.Equal("Okay, let's check the weather for San Francisco, CA:", merged.Text);
        var call = Assert.Single(Calls(updates));
        Assert.Equal("toolu_01T1x1fJ34qAmk2tNTrN7Up6", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("San Francisco, CA", Argument(call, "location"));
        Assert.Equal("fahrenheit", Argument(call, "unit"));
        Assert.Equal(ChatFinishReason.ToolCalls, merged.FinishReason);
        Assert.Equal(472, merged.Usage?.InputTokenCount);
        Assert.Equal(89, merged.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task NoArgumentToolUseStream_YieldsACallWithEmptyArguments()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(NoArgumentToolUseStream));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        var call = Assert.Single(Calls(updates));
        Assert.Equal("toolu_01Kq2zXwY3vU4tS5rQ6pO7nM", call.CallId);
        Assert.Equal("get_time", call.Name);
        Assert.Null(call.Exception);
        Assert.Empty(call.Arguments ?? new Dictionary<string, object?>());
        Assert.Equal(ChatFinishReason.ToolCalls, merged.FinishReason);
    }

    [Fact]
    public async Task ThinkingStream_YieldsReasoningWithItsSignatureThenText()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(ThinkingStream));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        Assert.Equal("I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147\n462 = 3 × 147 + 21\n147 = 7 × 21 + 0", Reasoning(updates));
        Assert.Contains(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>(), r => r.ProtectedData == "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds3Kq9fYHnVWW2LX2VtQ8aS6uP0r2Lh0=");
        Assert.Equal("The greatest common divisor of 1071 and 462 is **21**.", merged.Text);
        Assert.Equal(147, merged.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task RedactedThinkingStream_KeepsTheEncryptedBlockForTheNextTurn()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(RedactedThinkingStream));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        Assert.Equal("Here is my answer.", merged.Text);
        Assert.Contains(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>(), r => r.ProtectedData == "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj2pLmN0Jt9wHUIb1aa9IAK=");
    }

    [Fact]
    public async Task ServerToolUseStream_YieldsTheTextAndNoCallForUsToInvoke()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(ServerToolUseStream));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        Assert.Equal("It is sunny in New York today.", merged.Text);
        Assert.DoesNotContain(Calls(updates), c => !c.InformationalOnly);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal(510, merged.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task UsageRepeatedInMessageDelta_IsNotCountedTwice()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(ServerToolUseStream));
        using var client = Client(server);

        var (_, merged) = await StreamAsync(client);

        // message_start says 2679 input tokens; message_delta's cumulative count says 10682 (after the search).
        Assert.Equal(10682, merged.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task OverloadedErrorEventMidStream_DeliversTheTextThenThrowsTransient()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(OverloadedMidStream));
        using var client = Client(server);

        var received = new List<string>();
        var ex = await Assert.ThrowsAnyAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Guard()))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal("Partial", string.Concat(received));
        Assert.Equal("overloaded_error", ex.ErrorCode);
        Assert.Contains("Overloaded", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task Message_FromTheApiReference_YieldsTextUsageModelAndId()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(Message));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Hello", cancellationToken: Guard());

        Assert.Equal("Hi! My name is Claude.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(2095, response.Usage?.InputTokenCount);
        Assert.Equal(503, response.Usage?.OutputTokenCount);
        Assert.Equal("claude-sonnet-4-5-20250929", response.ModelId);
        Assert.Equal("msg_013Zva2CMHLNnXjNJJKqJ2EF", response.ResponseId);
    }

    [Fact]
    public async Task Overloaded529_IsATransientProviderException()
    {
        await using var server = ReplayServer.Start(new RecordedReply(529, Overloaded529) { Headers = new Dictionary<string, string> { ["request-id"] = "req_011CSHoEeqs5C35K2UUqR7Fy", ["x-should-retry"] = "true" } });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal((HttpStatusCode)529, ex.StatusCode);
        Assert.Equal("overloaded_error", ex.ErrorCode);
        Assert.Equal("req_011CSHoEeqs5C35K2UUqR7Fy", ex.RequestId);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task Overloaded529_ThenSuccess_IsRetried()
    {
        await using var server = ReplayServer.Start(new RecordedReply(529, Overloaded529) { Headers = new Dictionary<string, string> { ["x-should-retry"] = "true" } }, RecordedReply.Json(Message));
        using var client = Client(server, maxRetries: 2);

        var response = await client.GetResponseAsync("hi", cancellationToken: Guard());

        Assert.Equal("Hi! My name is Claude.", response.Text);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task RateLimit429_WithAnthropicRateLimitHeaders_ReportsRetryAfter()
    {
        var headers = new Dictionary<string, string>
        {
            ["retry-after"] = "12",
            ["anthropic-ratelimit-requests-limit"] = "50",
            ["anthropic-ratelimit-requests-remaining"] = "49",
            ["anthropic-ratelimit-requests-reset"] = "2026-11-25T16:40:12Z",
            ["anthropic-ratelimit-input-tokens-limit"] = "50",
            ["anthropic-ratelimit-input-tokens-remaining"] = "0",
            ["anthropic-ratelimit-input-tokens-reset"] = "2026-11-25T16:40:24Z",
            ["anthropic-ratelimit-output-tokens-limit"] = "10000",
            ["anthropic-ratelimit-output-tokens-remaining"] = "10000",
            ["anthropic-ratelimit-output-tokens-reset"] = "2026-11-25T16:40:12Z",
            ["request-id"] = "req_011CVbFh2M3ZxCTm5wJ8kQ9p",
            ["x-should-retry"] = "true",
        };
        await using var server = ReplayServer.Start(new RecordedReply(429, RateLimit429) { Headers = headers });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal("rate_limit_error", ex.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(12), ex.RetryAfter);
        Assert.True(ex.IsTransient);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidRequest400_CarriesTypeAndMessage()
    {
        await using var server = ReplayServer.Start(new RecordedReply(400, InvalidRequest400) { Headers = new Dictionary<string, string> { ["x-should-retry"] = "false" } });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("invalid_request_error", ex.ErrorCode);
        Assert.Contains("maximum allowed number of output tokens", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task Authentication401_WhenStreaming_ThrowsWithoutTheKey()
    {
        await using var server = ReplayServer.Start(new RecordedReply(401, Authentication401));
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("authentication_error", ex.ErrorCode);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
    }

    private static AnthropicChatClient Client(ReplayServer server, int maxRetries = 0) =>
        new(new AnthropicOptions { ApiKey = Key, Model = "claude-sonnet-4-5-20250929", Endpoint = server.BaseAddress, MaxRetries = maxRetries });
}
