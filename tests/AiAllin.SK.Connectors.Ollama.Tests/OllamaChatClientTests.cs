using System.Text.Json.Nodes;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using OllamaSharp;
using static AiAllin.SK.Connectors.Ollama.Tests.OllamaTestServer;

namespace AiAllin.SK.Connectors.Ollama.Tests;

public sealed class OllamaChatClientTests
{
    [Fact]
    public async Task Streaming_ErrorLineMidStream_ThrowsProviderExceptionWithServerMessageAfterDeliveredUpdates()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("one ", "two ", "three") with { ErrorEventAfter = 2, ErrorEventMessage = "an error was encountered while running the model" });
        using var client = new OllamaChatClient(Options(server));
        var received = new List<string>();

        var exception = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["one ", "two "], received);
        Assert.Equal("Ollama", exception.Provider);
        Assert.Null(exception.StatusCode);
        Assert.Equal("an error was encountered while running the model", exception.ProviderMessage);
    }

    [Fact]
    public async Task Streaming_MalformedLine_ThrowsProviderStreamExceptionNamingTheLine()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("a", "b") with { MalformedAfter = 1 });
        using var client = new OllamaChatClient(Options(server));
        var received = new List<string>();

        var exception = await Assert.ThrowsAsync<ProviderStreamException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["a"], received);
        Assert.Equal(2, exception.ChunkNumber);
        Assert.Contains("cut off", exception.Chunk, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_ConnectionClosedBeforeDoneLine_ThrowsInsteadOfEndingQuietly()
    {
        const string Body = "{\"model\":\"m\",\"created_at\":\"2025-10-26T17:21:21.196249Z\",\"message\":{\"role\":\"assistant\",\"content\":\"half\"},\"done\":false}\n";
        using var handler = new FixedResponseHandler(Body);
        using var client = new OllamaChatClient(new OllamaOptions { Model = "m", MaxRetries = 0 }, innerHandler: handler);
        var received = new List<string>();

        var exception = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["half"], received);
        Assert.True(exception.IsTransient);
        Assert.Contains("final (done) line", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_CreatedAtWithNanoseconds_IsRead()
    {
        const string Body =
            "{\"model\":\"m\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\",\"message\":{\"role\":\"assistant\",\"content\":\"The\"},\"done\":false}\n" +
            "{\"model\":\"m\",\"created_at\":\"2023-08-04T19:22:45.499127Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\"}\n";
        using var handler = new FixedResponseHandler(Body);
        using var client = new OllamaChatClient(new OllamaOptions { Model = "m", MaxRetries = 0 }, innerHandler: handler);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
        {
            updates.Add(update);
        }

        Assert.Equal(new DateTimeOffset(2023, 8, 4, 8, 52, 19, TimeSpan.FromHours(-7)).AddTicks(3_854_064), updates[0].CreatedAt);
        Assert.Equal(ChatFinishReason.Stop, updates[1].FinishReason);
    }

    [Fact]
    public async Task ToolCalls_WithoutServerIds_GetIdsThatAreUniqueAndStableWithinTheResponse()
    {
        await using var server = await StartAsync();
        server.Enqueue(
            ScriptedReply.WithToolCalls(new ScriptedToolCall(string.Empty, "f", "{\"a\":1}"), new ScriptedToolCall(string.Empty, "f", "{\"a\":2}")),
            ScriptedReply.WithToolCalls(new ScriptedToolCall(string.Empty, "f", "{\"a\":3}")));
        using var client = new OllamaChatClient(Options(server));

        var first = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
        {
            first.Add(update);
        }

        var second = await client.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard());

        var firstIds = first.SelectMany(u => u.Contents).OfType<FunctionCallContent>().Select(c => c.CallId).ToList();
        var merged = first.ToChatResponse().Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(c => c.CallId).ToList();
        var secondId = second.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single().CallId;
        Assert.Equal(2, firstIds.Distinct().Count());
        Assert.All(firstIds, id => Assert.False(string.IsNullOrWhiteSpace(id)));
        Assert.Equal(firstIds, merged);
        Assert.DoesNotContain(secondId, firstIds);
    }

    [Fact]
    public async Task ToolCalls_WithServerIds_KeepThemAndParseObjectArguments()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithToolCalls(new ScriptedToolCall("call_7f3", "get_weather", "{\"city\":\"Paris\",\"days\":3,\"units\":{\"temp\":\"C\"}}")));
        using var client = new OllamaChatClient(Options(server));

        var response = await client.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard());

        var call = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        Assert.Equal("call_7f3", call.CallId);
        Assert.Null(call.Exception);
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
        Assert.Equal("3", call.Arguments["days"]!.ToString());
        Assert.Contains("\"temp\"", call.Arguments["units"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Theory]
    [InlineData("{\"city\": ")]
    [InlineData("[1, 2]")]
    [InlineData("not json at all")]
    public async Task ToolCalls_WithArgumentsThatAreNotAnObject_ReportTheErrorAndNoArguments(string arguments)
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithToolCalls(new ScriptedToolCall("call_1", "f", arguments)));
        using var client = new OllamaChatClient(Options(server));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
        {
            updates.Add(update);
        }

        var call = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().Single();
        Assert.Equal("call_1", call.CallId);
        Assert.NotNull(call.Exception);
        Assert.Null(call.Arguments);
    }

    [Fact]
    public async Task ModelNotFound_WithoutPulling_ThrowsProviderException404AndPullsNothing()
    {
        await using var server = await StartAsync();
        server.Enqueue(OllamaWireServer.ModelNotFound("my-model:latest"), ScriptedReply.WithText("must not be reached"));
        using var client = new OllamaChatClient(Options(server, o => o.Model = "my-model:latest"));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()));

        Assert.Equal(404, (int?)exception.StatusCode);
        Assert.Equal("model \"my-model:latest\" not found, try pulling it first", exception.ProviderMessage);
        Assert.False(exception.IsTransient);
        Assert.Equal(["/api/chat"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task ModelNotFound_WithPullModelIfMissing_PullsOnceAndRetries()
    {
        await using var server = await StartAsync();
        server.Enqueue(OllamaWireServer.ModelNotFound("my-model:latest"), new ScriptedReply(), ScriptedReply.WithText("pulled ", "and ", "ready"));
        using var client = new OllamaChatClient(Options(server, o => { o.Model = "my-model:latest"; o.PullModelIfMissing = true; }));

        var text = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
        {
            text.Add(update.Text);
        }

        Assert.Equal("pulled and ready", string.Concat(text));
        Assert.Equal(["/api/chat", "/api/pull", "/api/chat"], server.Requests.Select(r => r.Path));
        Assert.Equal("my-model:latest", server.Requests[1].Body!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task ModelNotFound_WhenThePullFails_ThrowsProviderExceptionAndDoesNotRetry()
    {
        await using var server = await StartAsync();
        server.Enqueue(OllamaWireServer.ModelNotFound("ghost"), new ScriptedReply { ErrorEventAfter = 1, ErrorEventMessage = "pull model manifest: file does not exist" });
        using var client = new OllamaChatClient(Options(server, o => { o.Model = "ghost"; o.PullModelIfMissing = true; }));

        var exception = await Assert.ThrowsAnyAsync<ProviderException>(() => client.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()));

        Assert.Contains("pull", exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["/api/chat", "/api/pull"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Request_CarriesKeepAliveNumCtxModelOptionsThinkAndExtraFields()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = new OllamaChatClient(Options(server, o =>
        {
            o.Model = "my-model:latest";
            o.KeepAlive = "10m";
            o.NumCtx = 8192;
            o.Think = true;
            o.MaxTokens = 300;
            o.ModelOptions["repeat_penalty"] = 1.1;
            o.ModelOptions["top_k"] = 10;
        }));
        var chatOptions = new ChatOptions
        {
            TopK = 20,
            Seed = 42,
            StopSequences = ["END"],
            ResponseFormat = ChatResponseFormat.Json,
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                ["options"] = new Dictionary<string, object?> { ["num_gpu"] = 1 },
                ["logprobs"] = true,
            },
        };

        await client.GetResponseAsync([new(ChatRole.User, "hi")], chatOptions, Guard());

        var body = server.Requests.Single().Body!;
        var options = body["options"]!;
        Assert.Equal("my-model:latest", body["model"]!.GetValue<string>());
        Assert.Equal("10m", body["keep_alive"]!.GetValue<string>());
        Assert.True(body["think"]!.GetValue<bool>());
        Assert.Equal("json", body["format"]!.GetValue<string>());
        Assert.True(body["logprobs"]!.GetValue<bool>());
        Assert.False(body["stream"]!.GetValue<bool>());
        Assert.Equal(8192, options["num_ctx"]!.GetValue<int>());
        Assert.Equal(300, options["num_predict"]!.GetValue<int>());
        Assert.Equal(20, options["top_k"]!.GetValue<int>());
        Assert.Equal(1.1, options["repeat_penalty"]!.GetValue<double>());
        Assert.Equal(42, options["seed"]!.GetValue<int>());
        Assert.Equal("END", options["stop"]![0]!.GetValue<string>());
        Assert.Equal(1, options["num_gpu"]!.GetValue<int>());
    }

    [Fact]
    public async Task ToolModeNone_SendsNoTools()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = new OllamaChatClient(Options(server));
        var tool = AIFunctionFactory.Create((string q) => q, "lookup");

        await client.GetResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.None }, Guard());

        Assert.Null(server.Requests.Single().Body!["tools"]);
    }

    [Fact]
    public async Task Thinking_ArrivesAsTextReasoningContentStreamedAndNot()
    {
        await using var server = await StartAsync();
        server.Enqueue(
            ScriptedReply.WithText("42") with { ReasoningChunks = ["Let me ", "think."] },
            ScriptedReply.WithText("42") with { ReasoningChunks = ["Let me ", "think."] });
        using var client = new OllamaChatClient(Options(server, o => o.Think = true));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
        {
            updates.Add(update);
        }

        var whole = await client.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard());

        Assert.Equal(["Let me ", "think."], updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
        Assert.Equal("42", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal("Let me think.", whole.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Single().Text);
        Assert.Equal("42", whole.Text);
    }

    [Fact]
    public async Task History_SendsToolCallsAsObjectsAndResultsWithToolNameCallIdAndImages()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = new OllamaChatClient(Options(server));
        ChatMessage[] history =
        [
            new(ChatRole.User, [new TextContent("what is this?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]),
            new(ChatRole.Assistant, [new FunctionCallContent("call_5", "lookup", new Dictionary<string, object?> { ["q"] = "cat" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_5", new { kind = "animal" })]),
        ];

        await client.GetResponseAsync(history, cancellationToken: Guard());

        var messages = server.Requests.Single().Body!["messages"]!.AsArray();
        Assert.Equal(Convert.ToBase64String(new byte[] { 1, 2, 3 }), messages[0]!["images"]![0]!.GetValue<string>());
        var call = messages[1]!["tool_calls"]![0]!;
        Assert.Equal("call_5", call["id"]!.GetValue<string>());
        Assert.IsType<JsonObject>(call["function"]!["arguments"]);
        Assert.Equal("cat", call["function"]!["arguments"]!["q"]!.GetValue<string>());
        Assert.Equal("tool", messages[2]!["role"]!.GetValue<string>());
        Assert.Equal("lookup", messages[2]!["tool_name"]!.GetValue<string>());
        Assert.Equal("call_5", messages[2]!["tool_call_id"]!.GetValue<string>());
        Assert.Equal("{\"kind\":\"animal\"}", messages[2]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Response_ReportsModelCreatedAtTimingsAndNoKeyWhenNoneConfigured()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = new OllamaChatClient(Options(server));

        var response = await client.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard());

        Assert.Equal(Model, response.ModelId);
        Assert.NotNull(response.CreatedAt);
        Assert.False(string.IsNullOrEmpty(response.ResponseId));
        Assert.True(response.AdditionalProperties!.ContainsKey("total_duration"));
        Assert.Null(server.Describe(server.Requests.Single()).Credential);
    }

    [Fact]
    public async Task GetService_ExposesMetadataAndTheOllamaSharpClient()
    {
        await using var server = await StartAsync();
        using var client = new OllamaChatClient(Options(server));

        var metadata = client.GetService<ChatClientMetadata>();
        var api = client.GetService<OllamaApiClient>();

        Assert.Equal("ollama", metadata?.ProviderName);
        Assert.Equal(Model, metadata?.DefaultModelId);
        Assert.Equal(server.BaseAddress, metadata?.ProviderUri);
        Assert.NotNull(api);
        Assert.Same(client, client.GetService<IChatClient>());
    }

    private sealed class FixedResponseHandler(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-ndjson") });
    }
}
