using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AiAllin.SK.Testing.Providers;

namespace AiAllin.SK.Connectors.Ollama.Tests.WireServer;

public sealed class OllamaWireServerTests
{
    [Fact]
    public async Task Chat_Streaming_WritesOneNdjsonLinePerChunkThenDoneLineWithMetrics()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("Hel", "lo", "!"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await PostAsync(http, "api/chat", """{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}""");
        var lines = await ReadLinesAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(4, lines.Count);
        Assert.Equal("Hel", lines[0]["message"]!["content"]!.GetValue<string>());
        Assert.Equal("assistant", lines[1]["message"]!["role"]!.GetValue<string>());
        Assert.Equal("llama3.2", lines[2]["model"]!.GetValue<string>());
        Assert.All(lines.Take(3), l => Assert.False(l["done"]!.GetValue<bool>()));
        var done = lines[3];
        Assert.True(done["done"]!.GetValue<bool>());
        Assert.Equal("stop", done["done_reason"]!.GetValue<string>());
        Assert.Equal(12, done["prompt_eval_count"]!.GetValue<int>());
        Assert.Equal(3, done["eval_count"]!.GetValue<int>());
        Assert.NotNull(done["total_duration"]);
        Assert.NotNull(done["load_duration"]);
        Assert.NotNull(done["prompt_eval_duration"]);
        Assert.NotNull(done["eval_duration"]);
        Assert.True(server.Describe(server.Requests[0]).Stream);
    }

    [Fact]
    public async Task Chat_WithStreamFalse_ReturnsOneJsonObject()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("Hel", "lo") with { FinishReason = "length", ReasoningChunks = ["think", "ing"] });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await PostAsync(http, "api/chat", """{"model":"m","stream":false,"messages":[]}""");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Hello", body["message"]!["content"]!.GetValue<string>());
        Assert.Equal("thinking", body["message"]!["thinking"]!.GetValue<string>());
        Assert.True(body["done"]!.GetValue<bool>());
        Assert.Equal("length", body["done_reason"]!.GetValue<string>());
        Assert.False(server.Describe(server.Requests[0]).Stream);
    }

    [Fact]
    public async Task Chat_StreamedToolCalls_ArriveWholeAsObjectsWithIdsAndDoneReasonStop()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithToolCalls(
            new ScriptedToolCall("call_1", "get_weather", "{\"city\":", "\"Paris\"}"),
            new ScriptedToolCall("call_2", "get_time", "{\"zone\":\"CET\"}")));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await PostAsync(http, "api/chat", """{"model":"m","messages":[]}""");
        var lines = await ReadLinesAsync(response);

        Assert.Equal(3, lines.Count);
        var first = lines[0]["message"]!["tool_calls"]!.AsArray().Single()!;
        Assert.Equal("call_1", first["id"]!.GetValue<string>());
        Assert.Equal("get_weather", first["function"]!["name"]!.GetValue<string>());
        Assert.Equal(0, first["function"]!["index"]!.GetValue<int>());
        Assert.Equal("Paris", first["function"]!["arguments"]!["city"]!.GetValue<string>());
        var second = lines[1]["message"]!["tool_calls"]!.AsArray().Single()!;
        Assert.Equal("call_2", second["id"]!.GetValue<string>());
        Assert.Equal(1, second["function"]!["index"]!.GetValue<int>());
        Assert.Equal("stop", lines[2]["done_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_ToolCallWithInvalidArgumentJson_SendsArgumentsAsString()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithToolCalls(new ScriptedToolCall("call_1", "f", "{\"city\": ")) );
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await PostAsync(http, "api/chat", """{"model":"m","stream":false,"messages":[]}""");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("{\"city\": ", body["message"]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_ErrorEventAfter_WritesErrorLineAfterDeliveredChunks()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("a", "b", "c") with { ErrorEventAfter = 2, ErrorEventMessage = "model crashed" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await PostAsync(http, "api/chat", """{"model":"m","messages":[]}""");
        var lines = await ReadLinesAsync(response);

        Assert.Equal(3, lines.Count);
        Assert.Equal("b", lines[1]["message"]!["content"]!.GetValue<string>());
        Assert.Equal("model crashed", lines[2]["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_MalformedAfter_WritesLineThatIsNotJson()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("a", "b") with { MalformedAfter = 1 });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await PostAsync(http, "api/chat", """{"model":"m","messages":[]}""");
        var raw = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, raw.Length);
        Assert.Equal("a", JsonNode.Parse(raw[0])!["message"]!["content"]!.GetValue<string>());
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(raw[1]));
    }

    [Fact]
    public async Task Chat_ReasoningChunks_StreamAsMessageThinking()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("answer") with { ReasoningChunks = ["hmm", "..."] });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await PostAsync(http, "api/chat", """{"model":"m","think":true,"messages":[]}""");
        var lines = await ReadLinesAsync(response);

        Assert.Equal("hmm", lines[0]["message"]!["thinking"]!.GetValue<string>());
        Assert.Equal(string.Empty, lines[0]["message"]!["content"]!.GetValue<string>());
        Assert.Equal("...", lines[1]["message"]!["thinking"]!.GetValue<string>());
        Assert.Equal("answer", lines[2]["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_StallAfter_HoldsStreamUntilClientLeavesAndRecordsDisconnect()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("a", "b") with { StallAfter = 1 });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = new StringContent("""{"model":"m","messages":[]}""", Encoding.UTF8, "application/json") };

        using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("a", JsonNode.Parse(first!)!["message"]!["content"]!.GetValue<string>());
        }

        Assert.True(await server.WaitForDisconnectAsync(1, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Error_ModelNotFound_Returns404WithOllamaErrorBody()
    {
        await using var server = await StartAsync();
        server.Enqueue(OllamaWireServer.ModelNotFound("my-model:latest"), ScriptedReply.WithError(429, "rate", "slow down", TimeSpan.FromSeconds(5)));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var notFound = await PostAsync(http, "api/chat", """{"model":"my-model:latest","messages":[]}""");
        using var throttled = await PostAsync(http, "api/chat", """{"model":"m","messages":[]}""");

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        var body = JsonNode.Parse(await notFound.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("model \"my-model:latest\" not found, try pulling it first", body["error"]!.GetValue<string>());
        Assert.Single(body);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), throttled.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Embed_WithArrayAndDimensions_ReturnsVectorsInOrderWithCounts()
    {
        await using var server = await StartAsync();
        server.Enqueue(new ScriptedReply(), new ScriptedReply());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var many = await PostAsync(http, "api/embed", """{"model":"all-minilm","input":["one","two"],"dimensions":4,"truncate":true,"keep_alive":"5m"}""");
        using var single = await PostAsync(http, "api/embed", """{"model":"all-minilm","input":"solo"}""");
        var manyBody = JsonNode.Parse(await many.Content.ReadAsStringAsync())!;
        var singleBody = JsonNode.Parse(await single.Content.ReadAsStringAsync())!;

        Assert.Equal("all-minilm", manyBody["model"]!.GetValue<string>());
        var vectors = manyBody["embeddings"]!.AsArray();
        Assert.Equal(2, vectors.Count);
        Assert.Equal(DeterministicEmbedding.For("one", 4), vectors[0]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal(DeterministicEmbedding.For("two", 4), vectors[1]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal(2, manyBody["prompt_eval_count"]!.GetValue<int>());
        Assert.NotNull(manyBody["total_duration"]);
        Assert.NotNull(manyBody["load_duration"]);
        Assert.Equal(8, singleBody["embeddings"]![0]!.AsArray().Count);
    }

    [Fact]
    public async Task Pull_Show_Tags_AnswerInDocumentedShapes()
    {
        await using var server = await StartAsync();
        server.Enqueue(new ScriptedReply(), new ScriptedReply(), new ScriptedReply { Extras = new Dictionary<string, object?> { ["models"] = new[] { "a:latest", "b:7b" } } });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var pull = await PostAsync(http, "api/pull", """{"model":"llama3.2"}""");
        var pullLines = await ReadLinesAsync(pull);
        using var show = await PostAsync(http, "api/show", """{"model":"llama3.2"}""");
        var showBody = JsonNode.Parse(await show.Content.ReadAsStringAsync())!;
        var tags = JsonNode.Parse(await http.GetStringAsync("api/tags"))!;

        Assert.Equal("pulling manifest", pullLines[0]["status"]!.GetValue<string>());
        Assert.Equal("success", pullLines[^1]["status"]!.GetValue<string>());
        Assert.Contains(pullLines, l => l["digest"] is not null && l["total"] is not null && l["completed"] is not null);
        Assert.Equal("gguf", showBody["details"]!["format"]!.GetValue<string>());
        Assert.Contains("tools", showBody["capabilities"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["a:latest", "b:7b"], tags["models"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Describe_ReadsEveryNeutralField()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("ok"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "proxy-token-123");
        const string Body = """
            {"model":"my-model:latest","stream":false,"options":{"num_predict":64,"temperature":0.25,"num_ctx":8192},
             "messages":[
               {"role":"system","content":"be brief"},
               {"role":"user","content":"weather?"},
               {"role":"assistant","content":"","tool_calls":[{"id":"call_9","function":{"index":0,"name":"get_weather","arguments":{"city":"Paris"}}}]},
               {"role":"tool","content":"sunny","tool_name":"get_weather","tool_call_id":"call_9"},
               {"role":"tool","content":"old style","tool_name":"get_time"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"d","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
            """;

        using var response = await PostAsync(http, "api/chat", Body);
        var view = server.Describe(server.Requests[0]);

        Assert.Equal("my-model:latest", view.Model);
        Assert.False(view.Stream);
        Assert.Equal(64, view.MaxTokens);
        Assert.Equal(0.25, view.Temperature);
        Assert.Equal("be brief", view.System);
        Assert.Equal([("user", "weather?"), ("assistant", ""), ("tool", "sunny"), ("tool", "old style")], view.Messages);
        Assert.Equal(["get_weather"], view.ToolNames);
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"}}}""", view.ToolSchemas["get_weather"]);
        Assert.Equal([("call_9", "get_weather", """{"city":"Paris"}""")], view.ToolCalls);
        Assert.Equal([("call_9", "sunny"), ("get_time", "old style")], view.ToolResults);
        Assert.Equal("proxy-token-123", view.Credential);
    }

    [Fact]
    public async Task UnknownPath_Returns404ErrorBody()
    {
        await using var server = await StartAsync();
        server.Enqueue(new ScriptedReply());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await PostAsync(http, "api/nothing", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
    }

    private static Task<OllamaWireServer> StartAsync() => Testing.Providers.WireServer.StartAsync<OllamaWireServer>();

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string json)
        => http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<List<JsonNode>> ReadLinesAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];
    }
}
