using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Gemini.Tests;

public sealed class GeminiChatClientTests : IAsyncLifetime
{
    private const string Key = "AIzaSyTest-gemini-0123456789abcdefghijk";
    private GeminiWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<GeminiWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Request_SendsTheKeyOnlyInTheHeader_NeverInTheUrl()
    {
        _server.Enqueue(ScriptedReply.WithText("a"), ScriptedReply.WithText("b"));
        using var client = Client();

        await client.GetResponseAsync("hi");
        await foreach (var _ in client.GetStreamingResponseAsync("hi"))
        {
        }

        Assert.All(_server.Requests, r =>
        {
            Assert.Equal(Key, r.Header("x-goog-api-key"));
            Assert.DoesNotContain(Key, r.Path + r.Query, StringComparison.Ordinal);
            Assert.DoesNotContain("key=", r.Query, StringComparison.Ordinal);
            Assert.Null(r.Header("authorization"));
        });
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", _server.Requests[0].Path);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent", _server.Requests[1].Path);
        Assert.Equal("?alt=sse", _server.Requests[1].Query);
    }

    [Fact]
    public async Task VertexAI_UsesTheProjectPathAndABearerTokenFromTheProvider_AndNoKey()
    {
        _server.Enqueue(ScriptedReply.WithText("from vertex"));
        var calls = 0;
        using var client = new GeminiChatClient(new GeminiOptions
        {
            Endpoint = _server.BaseAddress,
            ApiKey = Key,
            Model = "gemini-2.5-pro",
            VertexProject = "my-project",
            VertexLocation = "europe-west4",
            AccessTokenProvider = _ => { calls++; return ValueTask.FromResult("ya29.token-value"); },
        });

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("from vertex", response.Text);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/projects/my-project/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent", request.Path);
        Assert.Equal("Bearer ya29.token-value", request.Header("authorization"));
        Assert.Null(request.Header("x-goog-api-key"));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task VertexAI_AsksForATokenOnEveryAttempt_SoARetryUsesAFreshOne()
    {
        _server.Enqueue(ScriptedReply.WithError(503, "UNAVAILABLE", "The model is overloaded."), ScriptedReply.WithText("second try"));
        var issued = 0;
        using var client = new GeminiChatClient(new GeminiOptions
        {
            Endpoint = _server.BaseAddress,
            Model = "gemini-2.5-flash",
            VertexProject = "p",
            VertexLocation = "global",
            AccessTokenProvider = _ => ValueTask.FromResult($"token-{++issued}"),
        });

        await foreach (var _ in client.GetStreamingResponseAsync("hi"))
        {
        }

        Assert.Equal(["Bearer token-1", "Bearer token-2"], _server.Requests.Select(r => r.Header("authorization")));
        Assert.Equal("/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-flash:streamGenerateContent", _server.Requests[1].Path);
    }

    [Fact]
    public void VertexAI_DefaultEndpoint_IsTheRegionalHostOrTheGlobalOne()
    {
        var regional = new GeminiOptions { VertexProject = "p", VertexLocation = "us-central1" };
        var global = new GeminiOptions { VertexProject = "p", VertexLocation = "global" };

        Assert.Equal("https://us-central1-aiplatform.googleapis.com/", regional.EffectiveEndpoint.AbsoluteUri);
        Assert.Equal("https://aiplatform.googleapis.com/", global.EffectiveEndpoint.AbsoluteUri);
        Assert.Equal("v1/projects/p/locations/global/publishers/google/models/gemini-2.5-flash:generateContent", global.MethodPath("models/gemini-2.5-flash", "generateContent"));
    }

    [Fact]
    public async Task Conversation_MapsSystemRolesToolCallsAndResults()
    {
        _server.Enqueue(ScriptedReply.WithText("done"));
        using var client = Client();
        List<ChatMessage> history =
        [
            new(ChatRole.System, "Be terse."),
            new(ChatRole.User, "Weather in Oslo and Rome?"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "get_forecast", new Dictionary<string, object?> { ["city"] = "Oslo" }), new FunctionCallContent("c2", "get_forecast", new Dictionary<string, object?> { ["city"] = "Rome" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "cold")]),
            new(ChatRole.Tool, [new FunctionResultContent("c2", new Dictionary<string, object> { ["temp"] = 24 })]),
        ];

        await client.GetResponseAsync(history, new ChatOptions { Instructions = "Answer in English." });

        var body = _server.Requests.Single().Body!;
        Assert.Equal("Answer in English.", body["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("Be terse.", body["systemInstruction"]!["parts"]![1]!["text"]!.GetValue<string>());
        var contents = body["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user"], contents.Select(c => c!["role"]!.GetValue<string>()));
        Assert.Equal("Oslo", contents[1]!["parts"]![0]!["functionCall"]!["args"]!["city"]!.GetValue<string>());
        Assert.Equal("c2", contents[1]!["parts"]![1]!["functionCall"]!["id"]!.GetValue<string>());
        var results = contents[2]!["parts"]!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Equal("""{"id":"c1","name":"get_forecast","response":{"result":"cold"}}""", results[0]!["functionResponse"]!.ToJsonString());
        Assert.Equal("""{"id":"c2","name":"get_forecast","response":{"temp":24}}""", results[1]!["functionResponse"]!.ToJsonString());
    }

    [Fact]
    public async Task FunctionResult_WithoutItsCall_FailsClearlyBeforeSending()
    {
        using var client = Client();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new(ChatRole.Tool, [new FunctionResultContent("lost", "x")])]));

        Assert.Contains("'lost'", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ThoughtSignature_ComesBackOnTheSamePartOfTheNextRequest()
    {
        _server.Enqueue(
            ScriptedReply.WithToolCalls(new ScriptedToolCall("fc_1", "get_forecast", "{\"city\":\"Paris\"}"), new ScriptedToolCall("fc_2", "get_forecast", "{\"city\":\"Nice\"}")) with { ReasoningChunks = ["Two cities, ", "two calls."] },
            ScriptedReply.WithText("Sunny in both."));
        using var client = new ChatClientBuilder(Client()).UseFunctionInvocation().Build();
        var tool = AIFunctionFactory.Create((string city) => $"sunny in {city}", "get_forecast");

        var response = await client.GetResponseAsync("Paris and Nice?", new ChatOptions { Tools = [tool] });

        Assert.Equal("Sunny in both.", response.Text);
        var firstTurn = response.Messages[0].Contents;
        Assert.Equal("Two cities, two calls.", Assert.IsType<TextReasoningContent>(firstTurn[0]).Text);
        Assert.Equal(GeminiWireServer.SignatureFor("Two cities, two calls."), Assert.IsType<TextReasoningContent>(firstTurn[1]).ProtectedData);
        var parts = _server.Requests[1].Body!["contents"]![1]!["parts"]!.AsArray();
        Assert.Equal(3, parts.Count);
        Assert.True(parts[0]!["thought"]!.GetValue<bool>());
        Assert.Equal("Paris", parts[1]!["functionCall"]!["args"]!["city"]!.GetValue<string>());
        Assert.Equal(GeminiWireServer.SignatureFor("Two cities, two calls."), parts[1]!["thoughtSignature"]!.GetValue<string>());
        Assert.Null(parts[2]!["thoughtSignature"]);
        Assert.Equal(["fc_1", "fc_2"], _server.Requests[1].Body!["contents"]![2]!["parts"]!.AsArray().Select(p => p!["functionResponse"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ThoughtSignature_Streamed_ComesBackAfterToChatResponse()
    {
        _server.Enqueue(
            ScriptedReply.WithToolCalls(new ScriptedToolCall("fc_9", "get_forecast", "{\"city\":\"Bergen\"}")) with { ReasoningChunks = ["Rain ", "likely."] },
            ScriptedReply.WithText("Rainy."));
        using var client = new ChatClientBuilder(Client()).UseFunctionInvocation().Build();
        var tool = AIFunctionFactory.Create((string city) => $"rain in {city}", "get_forecast");

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Bergen?", new ChatOptions { Tools = [tool] }))
        {
            updates.Add(update);
        }

        Assert.Equal("Rainy.", string.Concat(updates.Select(u => u.Text)));
        var parts = _server.Requests[1].Body!["contents"]![1]!["parts"]!.AsArray();
        var call = Assert.Single(parts, p => p!["functionCall"] is not null);
        Assert.Equal(GeminiWireServer.SignatureFor("Rain likely."), call!["thoughtSignature"]!.GetValue<string>());
        Assert.Equal("Rain likely.", string.Concat(parts.Where(p => p!["thought"] is not null).Select(p => p!["text"]!.GetValue<string>())));
    }

    [Theory]
    [InlineData("SAFETY")]
    [InlineData("RECITATION")]
    [InlineData("BLOCKLIST")]
    [InlineData("PROHIBITED_CONTENT")]
    public async Task BlockedAnswer_EndsWithContentFilterAndTheGeminiReason(string reason)
    {
        var reply = ScriptedReply.WithText("partial ", "answer") with { Extras = new Dictionary<string, object?> { ["finish_reason"] = reason } };
        _server.Enqueue(reply, reply);
        using var client = Client();

        var response = await client.GetResponseAsync("hi");
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.Equal(reason, response.AdditionalProperties?[GeminiPropertyNames.FinishReason]);
        Assert.Equal("partial answer", response.Text);
        var last = updates[^1];
        Assert.Equal(ChatFinishReason.ContentFilter, last.FinishReason);
        Assert.Equal(reason, last.AdditionalProperties?[GeminiPropertyNames.FinishReason]);
        Assert.Equal("partial answer", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task BlockedPrompt_EndsWithContentFilterAndTheBlockReason()
    {
        var reply = new ScriptedReply { Usage = new ScriptedUsage(7, 0), Extras = new Dictionary<string, object?> { ["block_reason"] = "PROHIBITED_CONTENT" } };
        _server.Enqueue(reply, reply);
        using var client = Client();

        var response = await client.GetResponseAsync("something bad");
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("something bad"))
        {
            updates.Add(update);
        }

        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.Equal("PROHIBITED_CONTENT", response.AdditionalProperties?[GeminiPropertyNames.BlockReason]);
        Assert.Contains("HARM_CATEGORY_DANGEROUS_CONTENT=HIGH (blocked)", (IEnumerable<string>)response.AdditionalProperties![GeminiPropertyNames.SafetyRatings]!);
        Assert.Empty(response.Text);
        var update1 = Assert.Single(updates);
        Assert.Equal(ChatFinishReason.ContentFilter, update1.FinishReason);
        Assert.Equal("PROHIBITED_CONTENT", update1.AdditionalProperties?[GeminiPropertyNames.BlockReason]);
    }

    [Fact]
    public async Task Usage_CarriesCachedAndThoughtTokens()
    {
        var reply = ScriptedReply.WithText("ok") with
        {
            Usage = new ScriptedUsage(100, 5),
            Extras = new Dictionary<string, object?> { ["cached_tokens"] = 60, ["thoughts_tokens"] = 40 },
        };
        _server.Enqueue(reply, reply);
        using var client = Client();

        var response = await client.GetResponseAsync("hi");
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        foreach (var usage in new[] { response.Usage!, updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single().Details })
        {
            Assert.Equal(100, usage.InputTokenCount);
            Assert.Equal(45, usage.OutputTokenCount);
            Assert.Equal(40, usage.ReasoningTokenCount);
            Assert.Equal(60, usage.CachedInputTokenCount);
            Assert.Equal(145, usage.TotalTokenCount);
        }
    }

    [Fact]
    public async Task GenerationConfig_CarriesEveryOptionAndTheJsonSchemaInGeminiForm()
    {
        _server.Enqueue(ScriptedReply.WithText("{\"name\":\"x\"}"));
        using var client = Client();
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"name":{"type":"string"},"age":{"type":["integer","null"]}},"required":["name"],"additionalProperties":false}""");
        var options = new ChatOptions
        {
            MaxOutputTokens = 64,
            Temperature = 0.5f,
            TopP = 0.9f,
            TopK = 20,
            StopSequences = ["END"],
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement, "person"),
            AdditionalProperties = new AdditionalPropertiesDictionary { ["thinkingBudget"] = 512, ["responseLogprobs"] = true },
        };

        await client.GetResponseAsync("Who?", options);

        var config = _server.Requests.Single().Body!["generationConfig"]!;
        Assert.Equal(64, config["maxOutputTokens"]!.GetValue<int>());
        Assert.Equal(0.9, config["topP"]!.GetValue<double>(), 3);
        Assert.Equal(20, config["topK"]!.GetValue<int>());
        Assert.Equal("END", config["stopSequences"]![0]!.GetValue<string>());
        Assert.Equal("application/json", config["responseMimeType"]!.GetValue<string>());
        Assert.Equal("""{"type":"OBJECT","properties":{"name":{"type":"STRING"},"age":{"nullable":true,"type":"INTEGER"}},"required":["name"]}""", config["responseSchema"]!.ToJsonString());
        Assert.Equal(512, config["thinkingConfig"]!["thinkingBudget"]!.GetValue<int>());
        Assert.True(config["responseLogprobs"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SafetySettingsAndToolMode_AreSent()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        var options = new GeminiOptions { Endpoint = _server.BaseAddress, ApiKey = Key, Model = "gemini-2.5-flash" };
        options.SafetySettings.Add(new GeminiSafetySetting { Category = "HARM_CATEGORY_DANGEROUS_CONTENT", Threshold = "BLOCK_ONLY_HIGH" });
        using var client = new GeminiChatClient(options);
        var tool = AIFunctionFactory.Create((string city) => city, "get_forecast");

        await client.GetResponseAsync("hi", new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireSpecific("get_forecast") });

        var body = _server.Requests.Single().Body!;
        Assert.Equal("""[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","threshold":"BLOCK_ONLY_HIGH"}]""", body["safetySettings"]!.ToJsonString());
        Assert.Equal("""{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_forecast"]}}""", body["toolConfig"]!.ToJsonString());
    }

    [Fact]
    public async Task InlineImage_IsSentAsInlineData()
    {
        _server.Enqueue(ScriptedReply.WithText("a cat"));
        using var client = Client();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

        await client.GetResponseAsync([new(ChatRole.User, [new TextContent("What is this?"), new DataContent(png, "image/png"), new UriContent("https://generativelanguage.googleapis.com/v1beta/files/abc", "application/pdf")])]);

        var parts = _server.Requests.Single().Body!["contents"]![0]!["parts"]!.AsArray();
        Assert.Equal("image/png", parts[1]!["inlineData"]!["mimeType"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(png), parts[1]!["inlineData"]!["data"]!.GetValue<string>());
        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/files/abc", parts[2]!["fileData"]!["fileUri"]!.GetValue<string>());
    }

    [Fact]
    public async Task ToolSchema_TheApiCannotExpress_FailsNamingTheFunctionAndKeyword_WithoutSending()
    {
        using var client = Client();
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"uniqueItems":true}}}""");
        var tool = AIFunctionFactory.CreateDeclaration("tag_items", "Tags items.", schema.RootElement);

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi", new ChatOptions { Tools = [tool] }));

        Assert.Contains("function 'tag_items'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'uniqueItems' at #/properties/tags/uniqueItems", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task MidStreamError_CarriesGeminisStatusAsTheCode()
    {
        _server.Enqueue(ScriptedReply.WithText("a ", "b") with { ErrorEventAfter = 1, ErrorEventMessage = "The model is overloaded." });
        using var client = Client();

        var exception = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("go"))
            {
            }
        });

        Assert.Equal("UNAVAILABLE", exception.ErrorCode);
        Assert.True(exception.IsTransient);
        Assert.Equal("Gemini", exception.Provider);
    }

    private GeminiChatClient Client() => new(new GeminiOptions { Endpoint = _server.BaseAddress, ApiKey = Key, Model = "gemini-2.5-flash" });
}
