using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AiAllin.SK.Testing.Providers;
using Wire = AiAllin.SK.Testing.Providers.WireServer;

namespace AiAllin.SK.Connectors.Anthropic.Tests.WireServer;

public sealed class AnthropicWireServerTests
{
    private const string Key = "sk-ant-wire-test-key-0123456789";

    [Fact]
    public async Task NonStreaming_Text_ReturnsMessageObjectWithStopReasonAndUsage()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(new ScriptedReply { TextChunks = ["Hel", "lo"], Usage = new ScriptedUsage(11, 2), ResponseId = "msg_abc" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.SendAsync(Request(new JsonObject { ["model"] = "claude-x", ["max_tokens"] = 64, ["messages"] = UserText("hi") }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("msg_abc", (string?)body["id"]);
        Assert.Equal("message", (string?)body["type"]);
        Assert.Equal("assistant", (string?)body["role"]);
        Assert.Equal("claude-x", (string?)body["model"]);
        Assert.Equal("end_turn", (string?)body["stop_reason"]);
        var block = Assert.Single(body["content"]!.AsArray());
        Assert.Equal("text", (string?)block!["type"]);
        Assert.Equal("Hello", (string?)block["text"]);
        Assert.Equal(11, (int)body["usage"]!["input_tokens"]!);
        Assert.Equal(2, (int)body["usage"]!["output_tokens"]!);
        Assert.Equal(0, (int)body["usage"]!["cache_read_input_tokens"]!);
    }

    [Fact]
    public async Task NonStreaming_ThinkingTextAndTools_RendersBlocksInOrderWithSignatureAndParsedInput()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(new ScriptedReply
        {
            ReasoningChunks = ["Let me ", "think."],
            TextChunks = ["Calling."],
            ToolCalls = [new ScriptedToolCall("toolu_1", "get_weather", "{\"city\":", "\"Paris\"}"), new ScriptedToolCall("toolu_2", "get_time", "{}")],
            Model = "claude-reported",
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.SendAsync(Request(new JsonObject { ["model"] = "claude-x", ["max_tokens"] = 64, ["messages"] = UserText("hi") }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var content = body["content"]!.AsArray();
        Assert.Equal(["thinking", "text", "tool_use", "tool_use"], content.Select(b => (string?)b!["type"]));
        Assert.Equal("Let me think.", (string?)content[0]!["thinking"]);
        Assert.Equal(AnthropicWireServer.SignatureFor("Let me think."), (string?)content[0]!["signature"]);
        Assert.Equal("toolu_1", (string?)content[2]!["id"]);
        Assert.Equal("get_weather", (string?)content[2]!["name"]);
        Assert.Equal("Paris", (string?)content[2]!["input"]!["city"]);
        Assert.Equal("toolu_2", (string?)content[3]!["id"]);
        Assert.Equal("tool_use", (string?)body["stop_reason"]);
        Assert.Equal("claude-reported", (string?)body["model"]);
    }

    [Theory]
    [InlineData("stop", "end_turn")]
    [InlineData("length", "max_tokens")]
    [InlineData("tool_calls", "tool_use")]
    [InlineData("content_filter", "refusal")]
    public async Task FinishReason_MapsToDocumentedStopReason_InBothModes(string finishReason, string stopReason)
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(new ScriptedReply { TextChunks = ["x"], FinishReason = finishReason }, new ScriptedReply { TextChunks = ["x"], FinishReason = finishReason });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var whole = await http.SendAsync(Request(new JsonObject { ["model"] = "m", ["max_tokens"] = 5, ["messages"] = UserText("hi") }));
        var events = await ReadEventsAsync(http, new JsonObject { ["model"] = "m", ["max_tokens"] = 5, ["stream"] = true, ["messages"] = UserText("hi") });

        Assert.Equal(stopReason, (string?)JsonNode.Parse(await whole.Content.ReadAsStringAsync())!["stop_reason"]);
        Assert.Equal(stopReason, (string?)events.Single(e => e.Name == "message_delta").Data!["delta"]!["stop_reason"]);
    }

    [Fact]
    public async Task NonStreaming_StopSequenceExtra_ReportsStopSequence()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(new ScriptedReply { TextChunks = ["x"], Extras = new Dictionary<string, object?> { ["stop_sequence"] = "END", ["cache_read_input_tokens"] = 7 } });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.SendAsync(Request(new JsonObject { ["model"] = "m", ["max_tokens"] = 5, ["messages"] = UserText("hi") }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("stop_sequence", (string?)body["stop_reason"]);
        Assert.Equal("END", (string?)body["stop_sequence"]);
        Assert.Equal(7, (int)body["usage"]!["cache_read_input_tokens"]!);
    }

    [Fact]
    public async Task Streaming_Text_EmitsTheDocumentedEventSequence()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(new ScriptedReply { TextChunks = ["a", "b", "c"], Usage = new ScriptedUsage(9, 3), ResponseId = "msg_s" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var events = await ReadEventsAsync(http, new JsonObject { ["model"] = "claude-x", ["max_tokens"] = 5, ["stream"] = true, ["messages"] = UserText("hi") });

        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, (string?)e.Data!["type"]));
        Assert.Equal("msg_s", (string?)events[0].Data!["message"]!["id"]);
        Assert.Equal(9, (int)events[0].Data!["message"]!["usage"]!["input_tokens"]!);
        Assert.Equal("text", (string?)events[1].Data!["content_block"]!["type"]);
        Assert.Equal("abc", string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => (string?)e.Data!["delta"]!["text"])));
        Assert.All(events.Where(e => e.Name == "content_block_delta"), e => Assert.Equal("text_delta", (string?)e.Data!["delta"]!["type"]));
        Assert.Equal(3, (int)events[^2].Data!["usage"]!["output_tokens"]!);
    }

    [Fact]
    public async Task Streaming_ReasoningAndParallelTools_EmitThinkingSignatureAndInputJsonDeltasPerBlock()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(new ScriptedReply
        {
            ReasoningChunks = ["Hmm", "..."],
            ToolCalls = [new ScriptedToolCall("toolu_a", "f", "{\"x\"", ":1}"), new ScriptedToolCall("toolu_b", "g", "{\"y\":2}")],
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var events = await ReadEventsAsync(http, new JsonObject { ["model"] = "m", ["max_tokens"] = 5, ["stream"] = true, ["messages"] = UserText("hi") });

        var starts = events.Where(e => e.Name == "content_block_start").Select(e => e.Data!).ToList();
        Assert.Equal(["thinking", "tool_use", "tool_use"], starts.Select(s => (string?)s["content_block"]!["type"]));
        Assert.Equal([0, 1, 2], starts.Select(s => (int)s["index"]!));
        Assert.Equal("toolu_a", (string?)starts[1]["content_block"]!["id"]);
        Assert.Equal("f", (string?)starts[1]["content_block"]!["name"]);
        var deltas = events.Where(e => e.Name == "content_block_delta").Select(e => e.Data!).ToList();
        Assert.Equal("Hmm...", string.Concat(deltas.Where(d => (string?)d["delta"]!["type"] == "thinking_delta").Select(d => (string?)d["delta"]!["thinking"])));
        Assert.Equal(AnthropicWireServer.SignatureFor("Hmm..."), (string?)deltas.Single(d => (string?)d["delta"]!["type"] == "signature_delta")["delta"]!["signature"]);
        var first = deltas.Where(d => (int)d["index"]! == 1).ToList();
        Assert.Equal(2, first.Count);
        Assert.Equal("{\"x\":1}", string.Concat(first.Select(d => (string?)d["delta"]!["partial_json"])));
        Assert.Equal("tool_use", (string?)events.Single(e => e.Name == "message_delta").Data!["delta"]!["stop_reason"]);
        Assert.Equal(3, events.Count(e => e.Name == "content_block_stop"));
    }

    [Fact]
    public async Task Streaming_ErrorEventAfter_SendsOverloadedErrorEventAndEndsWithoutMessageStop()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(new ScriptedReply { TextChunks = ["a", "b", "c"], ErrorEventAfter = 2, ErrorEventMessage = "Overloaded right now" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var events = await ReadEventsAsync(http, new JsonObject { ["model"] = "m", ["max_tokens"] = 5, ["stream"] = true, ["messages"] = UserText("hi") });

        Assert.Equal(2, events.Count(e => e.Name == "content_block_delta"));
        var error = events[^1];
        Assert.Equal("error", error.Name);
        Assert.Equal("error", (string?)error.Data!["type"]);
        Assert.Equal("overloaded_error", (string?)error.Data!["error"]!["type"]);
        Assert.Equal("Overloaded right now", (string?)error.Data!["error"]!["message"]);
        Assert.DoesNotContain(events, e => e.Name == "message_stop");
    }

    [Fact]
    public async Task Streaming_MalformedAfter_SendsADataLineThatIsNotJsonAfterTheGoodChunks()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(new ScriptedReply { TextChunks = ["a", "b", "c"], MalformedAfter = 1 });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var events = await ReadEventsAsync(http, new JsonObject { ["model"] = "m", ["max_tokens"] = 5, ["stream"] = true, ["messages"] = UserText("hi") });

        Assert.Equal(1, events.Count(e => e.Data is not null && e.Name == "content_block_delta"));
        Assert.Null(events[^1].Data);
        Assert.StartsWith("{", events[^1].RawData);
        Assert.DoesNotContain(events, e => e.Name == "message_stop");
    }

    [Fact]
    public async Task Streaming_StallAfter_HoldsTheStreamAndRecordsTheDisconnect()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(new ScriptedReply { TextChunks = ["first", "never"], StallAfter = 1 });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var response = await http.SendAsync(Request(new JsonObject { ["model"] = "m", ["max_tokens"] = 5, ["stream"] = true, ["messages"] = UserText("hi") }), HttpCompletionOption.ResponseHeadersRead, guard.Token);
        var stream = await response.Content.ReadAsStreamAsync(guard.Token);
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains("\"first\"", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, guard.Token);
            Assert.NotEqual(0, read);
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        response.Dispose();

        Assert.True(await server.WaitForDisconnectAsync(1, TimeSpan.FromSeconds(20)));
        Assert.DoesNotContain("never", seen.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(529, "overloaded_error")]
    public async Task ErrorReply_WritesTheDocumentedErrorBody(int status, string type)
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(ScriptedReply.WithError(status, type, "it failed"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.SendAsync(Request(new JsonObject { ["model"] = "m", ["max_tokens"] = 5, ["messages"] = UserText("hi") }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("error", (string?)body["type"]);
        Assert.Equal(type, (string?)body["error"]!["type"]);
        Assert.Equal("it failed", (string?)body["error"]!["message"]);
        Assert.True(response.Headers.Contains("request-id"));
    }

    [Fact]
    public async Task RateLimitReply_SendsRetryAfterHeader()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(ScriptedReply.WithError(429, "rate_limit_error", "slow down", TimeSpan.FromHours(1)));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.SendAsync(Request(new JsonObject { ["model"] = "m", ["max_tokens"] = 5, ["stream"] = true, ["messages"] = UserText("hi") }));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_error", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["type"]);
    }

    [Fact]
    public async Task Request_WithoutAnthropicVersion_IsRefusedWith400()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(ScriptedReply.WithText("never"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[]}", Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", Key);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["type"]);
    }

    [Fact]
    public async Task UnknownPath_Returns404NotFoundError()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(ScriptedReply.WithText("never"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/complete") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("anthropic-version", "2023-06-01");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found_error", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["type"]);
    }

    [Fact]
    public async Task Describe_ReadsModelSettingsSystemMessagesToolsAndCredential()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(ScriptedReply.WithText("ok"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var body = JsonNode.Parse("""
            {
              "model": "claude-x", "max_tokens": 321, "temperature": 0.25, "stream": true,
              "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
              "messages": [
                {"role": "user", "content": "What is the weather?"},
                {"role": "assistant", "content": [
                  {"type": "text", "text": "Checking."},
                  {"type": "tool_use", "id": "toolu_9", "name": "get_weather", "input": {"city": "Oslo"}}]},
                {"role": "user", "content": [
                  {"type": "tool_result", "tool_use_id": "toolu_9", "content": "sunny"},
                  {"type": "text", "text": "Thanks"}]}
              ],
              "tools": [{"name": "get_weather", "description": "d", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]
            }
            """)!.AsObject();

        var events = await ReadEventsAsync(http, body);
        var view = server.Describe(server.Requests.Single());

        Assert.Equal("message_stop", events[^1].Name);
        Assert.Equal("claude-x", view.Model);
        Assert.True(view.Stream);
        Assert.Equal(321, view.MaxTokens);
        Assert.Equal(0.25, view.Temperature);
        Assert.Equal("Be brief.", view.System);
        Assert.Equal([("user", "What is the weather?"), ("assistant", "Checking."), ("tool", "sunny"), ("user", "Thanks")], view.Messages);
        Assert.Equal(("toolu_9", "get_weather", "{\"city\":\"Oslo\"}"), Assert.Single(view.ToolCalls));
        Assert.Equal(("toolu_9", "sunny"), Assert.Single(view.ToolResults));
        Assert.Equal(["get_weather"], view.ToolNames);
        Assert.Equal("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}", view.ToolSchemas["get_weather"]);
        Assert.Equal(Key, view.Credential);
    }

    [Fact]
    public async Task Describe_SystemAsStringAndToolResultBlocks_AreRead()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(ScriptedReply.WithText("ok"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var body = JsonNode.Parse("""
            {"model": "m", "max_tokens": 1, "system": "Plain system.",
             "messages": [{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": "42"}]}]}]}
            """)!.AsObject();

        using var response = await http.SendAsync(Request(body));
        var view = server.Describe(server.Requests.Single());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(view.Stream);
        Assert.Null(view.Temperature);
        Assert.Equal("Plain system.", view.System);
        Assert.Equal(("t1", "42"), Assert.Single(view.ToolResults));
        Assert.Empty(view.ToolNames);
    }

    private static JsonArray UserText(string text) => [new JsonObject { ["role"] = "user", ["content"] = text }];

    private static HttpRequestMessage Request(JsonObject body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", Key);
        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }

    private static async Task<List<SseEvent>> ReadEventsAsync(HttpClient http, JsonObject body)
    {
        using var response = await http.SendAsync(Request(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var events = new List<SseEvent>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            var data = lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(data);
            }
            catch (System.Text.Json.JsonException)
            {
                parsed = null;
            }

            events.Add(new SseEvent(name, data, parsed));
        }

        return events;
    }

    private sealed record SseEvent(string Name, string RawData, JsonNode? Data);
}
