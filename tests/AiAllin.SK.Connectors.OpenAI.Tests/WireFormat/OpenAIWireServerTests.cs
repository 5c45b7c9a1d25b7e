using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using AiAllin.SK.Testing.Providers;

namespace AiAllin.SK.Connectors.OpenAI.Tests.WireFormat;

/// <summary>
/// Checks the OpenAI-format test server against the documented wire format with a raw HttpClient, so the provider
/// tests that rely on it test the client, not a server that merely agrees with it.
/// </summary>
public sealed class OpenAIWireServerTests
{
    private const string Key = "sk-wire-test-0123456789abcdef";

    [Fact]
    public async Task Completion_NonStreaming_IsDocumentedChatCompletionObject()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("Hello", " world") with { ResponseId = "chatcmpl-abc" });

        var (status, body) = await PostAsync(server, "v1/chat/completions", new JsonObject
        {
            ["model"] = "gpt-4o-mini",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }),
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("chatcmpl-abc", (string?)json["id"]);
        Assert.Equal("chat.completion", (string?)json["object"]);
        Assert.Equal("gpt-4o-mini", (string?)json["model"]);
        Assert.Equal("assistant", (string?)json["choices"]![0]!["message"]!["role"]);
        Assert.Equal("Hello world", (string?)json["choices"]![0]!["message"]!["content"]);
        Assert.Equal("stop", (string?)json["choices"]![0]!["finish_reason"]);
        Assert.Equal(12, (int)json["usage"]!["prompt_tokens"]!);
        Assert.Equal(2, (int)json["usage"]!["completion_tokens"]!);
        Assert.Equal(14, (int)json["usage"]!["total_tokens"]!);
    }

    [Fact]
    public async Task Streaming_WithIncludeUsage_SendsChunksUsageChunkWithEmptyChoicesAndDone()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("Hel", "lo"));

        var (_, body) = await PostAsync(server, "v1/chat/completions", ChatRequest(stream: true, includeUsage: true));
        var lines = DataLines(body);

        Assert.Equal("[DONE]", lines[^1]);
        var chunks = lines[..^1].Select(l => JsonNode.Parse(l)!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", (string?)c["object"]));
        Assert.Equal("assistant", (string?)chunks[0]["choices"]![0]!["delta"]!["role"]);
        var text = string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => (string?)c["choices"]![0]!["delta"]!["content"]));
        Assert.Equal("Hello", text);
        Assert.Equal("stop", (string?)chunks[^2]["choices"]![0]!["finish_reason"]);
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.Equal(2, (int)chunks[^1]["usage"]!["completion_tokens"]!);
        Assert.All(chunks[..^1], c => Assert.True(c.AsObject().ContainsKey("usage") && c["usage"] is null));
    }

    [Fact]
    public async Task Streaming_WithoutIncludeUsage_SendsNoUsage()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("a", "b"));

        var (_, body) = await PostAsync(server, "v1/chat/completions", ChatRequest(stream: true, includeUsage: false));

        Assert.DoesNotContain("\"usage\"", body, StringComparison.Ordinal);
        Assert.Equal("[DONE]", DataLines(body)[^1]);
    }

    [Fact]
    public async Task Streaming_ToolCalls_FirstDeltaHasIdAndNameThenOnlyArgumentFragmentsByIndex()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithToolCalls(
            new ScriptedToolCall("call_1", "get_weather", "{\"ci", "ty\":\"Oslo\"}"),
            new ScriptedToolCall("call_2", "get_time", "{}")));

        var (_, body) = await PostAsync(server, "v1/chat/completions", ChatRequest(stream: true, includeUsage: true));
        var deltas = DataLines(body)[..^1]
            .Select(l => JsonNode.Parse(l)!)
            .Where(c => c["choices"]!.AsArray().Count > 0 && c["choices"]![0]!["delta"]!["tool_calls"] is not null)
            .Select(c => c["choices"]![0]!["delta"]!["tool_calls"]![0]!)
            .ToList();

        Assert.Equal(5, deltas.Count);
        Assert.Equal("call_1", (string?)deltas[0]["id"]);
        Assert.Equal("get_weather", (string?)deltas[0]["function"]!["name"]);
        Assert.Equal(0, (int)deltas[1]["index"]!);
        Assert.Null(deltas[1]["id"]);
        Assert.Null(deltas[1]["function"]!["name"]);
        Assert.Equal("{\"city\":\"Oslo\"}", (string?)deltas[1]["function"]!["arguments"] + (string?)deltas[2]["function"]!["arguments"]);
        Assert.Equal(1, (int)deltas[3]["index"]!);
        Assert.Equal("call_2", (string?)deltas[3]["id"]);
        Assert.Contains("\"finish_reason\":\"tool_calls\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_ErrorEventAfter_SendsErrorObjectAndNoDone()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("a", "b", "c") with { ErrorEventAfter = 1, ErrorEventMessage = "overloaded now" });

        var (_, body) = await PostAsync(server, "v1/chat/completions", ChatRequest(stream: true, includeUsage: true));
        var lines = DataLines(body);

        Assert.Equal("overloaded now", (string?)JsonNode.Parse(lines[^1])!["error"]!["message"]);
        Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_ReasoningChunks_AreReasoningContentDeltas()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("42") with { ReasoningChunks = ["think", "ing"] });

        var (_, body) = await PostAsync(server, "v1/chat/completions", ChatRequest(stream: true, includeUsage: false));
        var reasoning = string.Concat(DataLines(body)[..^1].Select(l => (string?)JsonNode.Parse(l)!["choices"]![0]!["delta"]!["reasoning_content"]));

        Assert.Equal("thinking", reasoning);
    }

    [Fact]
    public async Task Error_IsDocumentedErrorObjectWithRetryAfter()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithError(429, "rate_limit_exceeded", "Rate limit reached", TimeSpan.FromSeconds(3600)));

        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await client.PostAsync("v1/chat/completions", new StringContent(ChatRequest(false, false).ToJsonString(), Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.AsObject();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3600), response.Headers.RetryAfter!.Delta);
        Assert.Equal("Rate limit reached", (string?)error["message"]);
        Assert.Equal("rate_limit_exceeded", (string?)error["code"]);
        Assert.Equal("requests", (string?)error["type"]);
        Assert.True(error.ContainsKey("param"));
    }

    [Fact]
    public async Task Embeddings_FloatAndBase64_HonourDimensionsAndOrder()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(new ScriptedReply(), new ScriptedReply());

        var request = new JsonObject { ["model"] = "text-embedding-3-small", ["input"] = new JsonArray("one", "two"), ["dimensions"] = 4 };
        var (_, floatBody) = await PostAsync(server, "v1/embeddings", request);
        request["encoding_format"] = "base64";
        var (_, base64Body) = await PostAsync(server, "v1/embeddings", request.DeepClone());

        var floats = JsonNode.Parse(floatBody)!;
        Assert.Equal("list", (string?)floats["object"]);
        Assert.Equal("embedding", (string?)floats["data"]![1]!["object"]);
        Assert.Equal(1, (int)floats["data"]![1]!["index"]!);
        var second = floats["data"]![1]!["embedding"]!.AsArray().Select(n => (float)n!).ToArray();
        Assert.Equal(DeterministicEmbedding.For("two", 4), second);
        var decoded = MemoryMarshal.Cast<byte, float>(Convert.FromBase64String((string)JsonNode.Parse(base64Body)!["data"]![1]!["embedding"]!)).ToArray();
        Assert.Equal(second, decoded);
        Assert.True((int)floats["usage"]!["prompt_tokens"]! > 0);
    }

    [Fact]
    public async Task AzureDeploymentRoute_WithApiKeyAndContentFilter_AnnotatesPromptAndChoices()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("x") with { FinishReason = "content_filter", Extras = new Dictionary<string, object?> { [OpenAIWireServer.AzureContentFilterExtra] = "violence" } });

        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var message = new HttpRequestMessage(HttpMethod.Post, "openai/deployments/my-gpt/chat/completions?api-version=2024-10-21")
        {
            Content = new StringContent(new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }) }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        message.Headers.Add("api-key", Key);
        using var response = await client.SendAsync(message);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (int)json["prompt_filter_results"]![0]!["prompt_index"]!);
        Assert.False((bool)json["prompt_filter_results"]![0]!["content_filter_results"]!["hate"]!["filtered"]!);
        Assert.True((bool)json["choices"]![0]!["content_filter_results"]!["violence"]!["filtered"]!);
        Assert.Equal("high", (string?)json["choices"]![0]!["content_filter_results"]!["violence"]!["severity"]);
        Assert.Equal("content_filter", (string?)json["choices"]![0]!["finish_reason"]);
        Assert.Equal("my-gpt", (string?)json["model"]);
        var view = server.Describe(server.Requests[0]);
        Assert.Equal(Key, view.Credential);
        Assert.Equal("my-gpt", view.Model);
    }

    [Fact]
    public async Task AzureDeploymentRoute_WithoutApiVersion_IsNotFound()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("x"));

        var (status, _) = await PostAsync(server, "openai/deployments/my-gpt/chat/completions", ChatRequest(false, false));

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task AzureStreaming_SendsPromptFilterChunkFirstAndFilterOnlyChunkBeforeFinish()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("x") with { FinishReason = "content_filter", Extras = new Dictionary<string, object?> { [OpenAIWireServer.AzureContentFilterExtra] = true } });

        var (_, body) = await PostAsync(server, "openai/v1/chat/completions", ChatRequest(stream: true, includeUsage: false));
        var chunks = DataLines(body)[..^1].Select(l => JsonNode.Parse(l)!).ToList();

        Assert.Empty(chunks[0]["choices"]!.AsArray());
        Assert.NotNull(chunks[0]["prompt_filter_results"]);
        var filterOnly = chunks[^2]["choices"]![0]!;
        Assert.Empty(filterOnly["delta"]!.AsObject());
        Assert.True((bool)filterOnly["content_filter_results"]!["violence"]!["filtered"]!);
        Assert.Equal("content_filter", (string?)chunks[^1]["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public async Task Groq_Streaming_AddsXGroqIdAndUsageWithTimings()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("a", "b") with { Extras = new Dictionary<string, object?> { [OpenAIWireServer.GroqExtra] = true } });

        var (_, body) = await PostAsync(server, "openai/v1/chat/completions", ChatRequest(stream: true, includeUsage: false));
        var chunks = DataLines(body)[..^1].Select(l => JsonNode.Parse(l)!).ToList();

        var id = (string?)chunks[0]["x_groq"]!["id"];
        Assert.StartsWith("req_", id, StringComparison.Ordinal);
        Assert.Equal(id, (string?)chunks[^1]["x_groq"]!["id"]);
        Assert.Equal(2, (int)chunks[^1]["x_groq"]!["usage"]!["completion_tokens"]!);
        Assert.True((double)chunks[^1]["x_groq"]!["usage"]!["queue_time"]! > 0);
    }

    [Fact]
    public async Task Describe_ReadsChatRequestInNeutralTerms()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("ok"));
        var request = new JsonObject
        {
            ["model"] = "gpt-4o",
            ["stream"] = false,
            ["max_completion_tokens"] = 77,
            ["temperature"] = 0.25,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "developer", ["content"] = "Be brief." },
                new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Weather?" }) },
                new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = null,
                    ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = "call_9", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "get_weather", ["arguments"] = "{\"city\":\"Oslo\"}" } }),
                },
                new JsonObject { ["role"] = "tool", ["tool_call_id"] = "call_9", ["content"] = "sunny" }),
            ["tools"] = new JsonArray(new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = "get_weather", ["parameters"] = new JsonObject { ["type"] = "object" } },
            }),
        };

        await PostAsync(server, "v1/chat/completions", request);
        var view = server.Describe(server.Requests[0]);

        Assert.Equal("gpt-4o", view.Model);
        Assert.False(view.Stream);
        Assert.Equal(77, view.MaxTokens);
        Assert.Equal(0.25, view.Temperature);
        Assert.Equal("Be brief.", view.System);
        Assert.Equal([("user", "Weather?"), ("assistant", string.Empty), ("tool", "sunny")], view.Messages);
        Assert.Equal(["get_weather"], view.ToolNames);
        Assert.Equal("{\"type\":\"object\"}", view.ToolSchemas["get_weather"]);
        Assert.Equal([("call_9", "get_weather", "{\"city\":\"Oslo\"}")], view.ToolCalls);
        Assert.Equal([("call_9", "sunny")], view.ToolResults);
        Assert.Equal(Key, view.Credential);
    }

    private static JsonObject ChatRequest(bool stream, bool includeUsage)
    {
        var request = new JsonObject
        {
            ["model"] = "gpt-4o-mini",
            ["stream"] = stream,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }),
        };
        if (includeUsage)
        {
            request["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return request;
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(WireServer server, string path, JsonNode body)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
        using var response = await client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string[] DataLines(string body) =>
        [.. body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..])];
}
