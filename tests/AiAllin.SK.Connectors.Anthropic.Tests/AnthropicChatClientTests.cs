using System.Net;
using System.Text.Json.Nodes;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Logging;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Wire = AiAllin.SK.Testing.Providers.WireServer;

namespace AiAllin.SK.Connectors.Anthropic.Tests;

public sealed class AnthropicChatClientTests : IAsyncLifetime
{
    private const string Key = "sk-ant-api03-unit-test-key-0123456789abcdef";
    private AnthropicWireServer _server = null!;

    public async Task InitializeAsync() => _server = await Wire.StartAsync<AnthropicWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Request_CarriesTemperatureTopPTopKThatTheSdkAdapterDrops()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = Client();

        await client.GetResponseAsync("hi", new ChatOptions { Temperature = 0.3f, TopP = 0.8f, TopK = 7 });

        var body = LastBody();
        Assert.Equal(0.3, (double)body["temperature"]!, 5);
        Assert.Equal(0.8, (double)body["top_p"]!, 5);
        Assert.Equal(7, (int)body["top_k"]!);
    }

    [Fact]
    public async Task Request_UsesOptionDefaultsForModelMaxTokensAndTemperature()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"), ScriptedReply.WithText("ok"));
        using var configured = Client(o => { o.MaxTokens = 900; o.Temperature = 0.6f; });
        using var plain = Client();

        await configured.GetResponseAsync("hi");
        var first = _server.Describe(_server.Requests[0]);
        await plain.GetResponseAsync("hi");
        var second = _server.Describe(_server.Requests[1]);

        Assert.Equal("claude-unit", first.Model);
        Assert.Equal(900, first.MaxTokens);
        Assert.Equal(0.6, first.Temperature!.Value, 5);
        Assert.Equal(AnthropicOptions.DefaultMaxTokens, second.MaxTokens);
        Assert.Null(second.Temperature);
    }

    [Fact]
    public async Task Request_ChatOptionsWinOverOptionDefaults()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = Client(o => { o.MaxTokens = 900; o.Temperature = 0.6f; });

        await client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 50, Temperature = 0.1f, ModelId = "claude-other" });

        var sent = _server.Describe(_server.Requests.Single());
        Assert.Equal(50, sent.MaxTokens);
        Assert.Equal(0.1, sent.Temperature!.Value, 5);
        Assert.Equal("claude-other", sent.Model);
    }

    [Fact]
    public async Task Request_PassesAdditionalPropertiesAsExtraFields()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = Client();
        var options = new ChatOptions { AdditionalProperties = new() { ["metadata"] = new Dictionary<string, string> { ["user_id"] = "u-42" }, ["service_tier"] = "standard_only" } };

        await client.GetResponseAsync("hi", options);

        var body = LastBody();
        Assert.Equal("u-42", (string?)body["metadata"]!["user_id"]);
        Assert.Equal("standard_only", (string?)body["service_tier"]);
    }

    [Fact]
    public async Task Request_PresentsTheKeyInXApiKeyAndNoBearerToken()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = Client();

        await client.GetResponseAsync("hi");

        var request = _server.Requests.Single();
        Assert.Equal(Key, request.Header("x-api-key"));
        Assert.Null(request.Header("authorization"));
        Assert.False(string.IsNullOrEmpty(request.Header("anthropic-version")));
        Assert.Equal(AnthropicWireServer.MessagesPath, request.Path);
    }

    [Fact]
    public async Task Request_WithAnthropicVersionOption_SendsThatVersion()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = Client(o => o.AnthropicVersion = "2023-06-01");

        await client.GetResponseAsync("hi");

        Assert.Equal("2023-06-01", _server.Requests.Single().Header("anthropic-version"));
    }

    [Fact]
    public async Task Request_WithImage_SendsABase64ImageBlock()
    {
        _server.Enqueue(ScriptedReply.WithText("a red dot"));
        using var client = Client();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("What is this?"), new DataContent(png, "image/png")])]);

        var blocks = LastBody()["messages"]![0]!["content"]!.AsArray();
        var image = blocks.Single(b => (string?)b!["type"] == "image")!;
        Assert.Equal("base64", (string?)image["source"]!["type"]);
        Assert.Equal("image/png", (string?)image["source"]!["media_type"]);
        Assert.Equal(Convert.ToBase64String(png), (string?)image["source"]!["data"]);
    }

    [Fact]
    public async Task Request_SystemMessagesGoToTheSystemFieldNotTheMessages()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = Client();

        await client.GetResponseAsync([new ChatMessage(ChatRole.System, "Rule one."), new ChatMessage(ChatRole.User, "hi")]);

        var sent = _server.Describe(_server.Requests.Single());
        Assert.Equal("Rule one.", sent.System);
        Assert.Equal([("user", "hi")], sent.Messages);
    }

    [Fact]
    public async Task PromptCaching_MarksTheLastSystemBlockAndTheLastToolWithoutChangingTheCallersMessages()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = Client(o => o.EnablePromptCaching = true);
        var system = new ChatMessage(ChatRole.System, "Long stable instructions.");
        var tools = new List<AITool> { AIFunctionFactory.Create((string city) => city, "first"), AIFunctionFactory.Create((int days) => days, "second") };

        await client.GetResponseAsync([system, new ChatMessage(ChatRole.User, "hi")], new ChatOptions { Tools = tools });

        var body = LastBody();
        var systemBlock = body["system"]!.AsArray().Single()!;
        Assert.Equal("ephemeral", (string?)systemBlock["cache_control"]!["type"]);
        var sentTools = body["tools"]!.AsArray();
        Assert.Null(sentTools[0]!["cache_control"]);
        Assert.Equal("ephemeral", (string?)sentTools[1]!["cache_control"]!["type"]);
        Assert.Null(system.Contents[0].AdditionalProperties);
        Assert.Same(tools[1], tools[^1]);
        Assert.IsNotType<AnthropicCachedFunction>(tools[1]);
    }

    [Fact]
    public async Task PromptCaching_WhenOff_SendsNoCacheControl()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = Client();

        await client.GetResponseAsync([new ChatMessage(ChatRole.System, "sys"), new ChatMessage(ChatRole.User, "hi")], new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => city, "f")] });

        Assert.DoesNotContain("cache_control", _server.Requests.Single().BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thinking_WithBudget_SendsEnabledThinkingWithThatBudget()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = Client(o => { o.ThinkingBudgetTokens = 2048; o.MaxTokens = 8000; });

        await client.GetResponseAsync("hi");

        var thinking = LastBody()["thinking"]!;
        Assert.Equal("enabled", (string?)thinking["type"]);
        Assert.Equal(2048, (int)thinking["budget_tokens"]!);
        Assert.Equal(8000, (int)LastBody()["max_tokens"]!);
    }

    [Fact]
    public async Task Thinking_NonStreaming_IsReasoningContentCarryingTheSignature()
    {
        _server.Enqueue(new ScriptedReply { ReasoningChunks = ["Weigh ", "options."], TextChunks = ["Answer."], Usage = new ScriptedUsage(4, 9) });
        using var client = Client();

        var response = await client.GetResponseAsync("hi");

        var reasoning = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>());
        Assert.Equal("Weigh options.", reasoning.Text);
        Assert.Equal(AnthropicWireServer.SignatureFor("Weigh options."), reasoning.ProtectedData);
        Assert.Equal("Answer.", response.Text);
    }

    [Fact]
    public async Task Thinking_Streaming_ArrivesAsReasoningUpdatesAndCoalescesWithTheSignature()
    {
        _server.Enqueue(new ScriptedReply { ReasoningChunks = ["Weigh ", "options."], TextChunks = ["Ans", "wer."] });
        using var client = Client();

        var updates = await Collect(client.GetStreamingResponseAsync("hi"));

        var reasoningUpdates = updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().Where(r => r.Text.Length > 0).Select(r => r.Text).ToList();
        Assert.Equal(["Weigh ", "options."], reasoningUpdates);
        var response = updates.ToChatResponse();
        var reasoning = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>());
        Assert.Equal("Weigh options.", reasoning.Text);
        Assert.Equal(AnthropicWireServer.SignatureFor("Weigh options."), reasoning.ProtectedData);
        Assert.Equal("Answer.", response.Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Thinking_WithToolUse_IsSentBackWithItsSignatureBeforeTheToolCall(bool streaming)
    {
        _server.Enqueue(
            new ScriptedReply { ReasoningChunks = ["Need ", "weather."], ToolCalls = [new ScriptedToolCall("toolu_t1", "get_weather", "{\"city\":", "\"Oslo\"}")] },
            ScriptedReply.WithText("Cold."));
        using var client = new ChatClientBuilder(Client(o => { o.ThinkingBudgetTokens = 1024; })).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => $"-5C in {city}", "get_weather")] };

        var text = streaming
            ? string.Concat((await Collect(client.GetStreamingResponseAsync("Weather in Oslo?", options))).Select(u => u.Text))
            : (await client.GetResponseAsync("Weather in Oslo?", options)).Text;

        Assert.Equal("Cold.", text);
        var assistant = JsonNode.Parse(_server.Requests[1].BodyText)!["messages"]!.AsArray().Single(m => (string?)m!["role"] == "assistant")!["content"]!.AsArray();
        Assert.Equal("thinking", (string?)assistant[0]!["type"]);
        Assert.Equal("Need weather.", (string?)assistant[0]!["thinking"]);
        Assert.Equal(AnthropicWireServer.SignatureFor("Need weather."), (string?)assistant[0]!["signature"]);
        var toolUse = assistant.Single(b => (string?)b!["type"] == "tool_use")!;
        Assert.Equal("toolu_t1", (string?)toolUse["id"]);
        Assert.Equal("Oslo", (string?)toolUse["input"]!["city"]);
        var result = _server.Describe(_server.Requests[1]).ToolResults.Single();
        Assert.Equal(("toolu_t1", "-5C in Oslo"), result);
    }

    [Fact]
    public async Task Usage_ReportsCacheReadTokensAsCachedInput()
    {
        _server.Enqueue(new ScriptedReply { TextChunks = ["ok"], Usage = new ScriptedUsage(10, 2), Extras = new Dictionary<string, object?> { ["cache_read_input_tokens"] = 30 } });
        using var client = Client();

        var response = await client.GetResponseAsync("hi");

        Assert.Equal(30, response.Usage!.CachedInputTokenCount);
        Assert.Equal(2, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task FinishReason_StopSequence_IsStop()
    {
        _server.Enqueue(new ScriptedReply { TextChunks = ["ok"], Extras = new Dictionary<string, object?> { ["stop_sequence"] = "###" } });
        using var client = Client();

        var response = await client.GetResponseAsync("hi", new ChatOptions { StopSequences = ["###"] });

        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("###", (string?)LastBody()["stop_sequences"]![0]);
    }

    [Fact]
    public async Task Streaming_ErrorEvent_IsATransientProviderExceptionWithTheErrorTypeAfterTheDeliveredText()
    {
        _server.Enqueue(ScriptedReply.WithText("one ", "two ", "three") with { ErrorEventAfter = 1, ErrorEventMessage = "Overloaded" });
        using var client = Client();
        var received = new List<string>();

        var exception = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal("one ", string.Concat(received));
        Assert.Equal("overloaded_error", exception.ErrorCode);
        Assert.Equal("Overloaded", exception.ProviderMessage);
        Assert.True(exception.IsTransient);
        Assert.Null(exception.StatusCode);
        Assert.Equal(AnthropicChatClient.ProviderName, exception.Provider);
    }

    [Fact]
    public async Task Streaming_MalformedEvent_NamesTheOffendingDataAndItsEventNumber()
    {
        _server.Enqueue(ScriptedReply.WithText("one ", "two ") with { MalformedAfter = 1 });
        using var client = Client();

        var exception = await Assert.ThrowsAsync<ProviderStreamException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                Assert.NotNull(update);
            }
        });

        Assert.Contains("not json", exception.Chunk, StringComparison.Ordinal);
        Assert.Equal(5, exception.ChunkNumber);
        Assert.IsType<System.Text.Json.JsonException>(exception.InnerException, exactMatch: false);
    }

    [Fact]
    public async Task Retry_AfterLongerThanMaxRetryDelayButUnderTheSdksMinute_FailsAtOnceWithOneRequest()
    {
        // The SDK's own loop would sleep any Retry-After under a minute; ours hands it back when above MaxRetryDelay.
        _server.Enqueue(ScriptedReply.WithError(429, "rate_limit_error", "Slow down", TimeSpan.FromSeconds(30)), ScriptedReply.WithText("too late"));
        using var client = Client(o => o.MaxRetryDelay = TimeSpan.FromSeconds(2));
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: guard.Token));

        Assert.Equal(HttpStatusCode.TooManyRequests, exception.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), exception.RetryAfter);
        Assert.Single(_server.Requests);
        Assert.Equal("0", _server.Requests[0].Header("x-stainless-retry-count"));
    }

    [Fact]
    public async Task Retry_Overloaded529_IsRetriedByTheProviderPolicy()
    {
        _server.Enqueue(ScriptedReply.WithError(529, "overloaded_error", "Overloaded", TimeSpan.FromSeconds(1)), ScriptedReply.WithText("back"));
        using var client = Client();

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("back", response.Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Retry_Off_529IsATransientProviderExceptionWithOneRequest()
    {
        _server.Enqueue(ScriptedReply.WithError(529, "overloaded_error", "Overloaded"), ScriptedReply.WithText("never"));
        using var client = Client(o => o.MaxRetries = 0);

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(529, (int?)exception.StatusCode);
        Assert.Equal("overloaded_error", exception.ErrorCode);
        Assert.True(exception.IsTransient);
        Assert.Equal("req_wire000001", exception.RequestId);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Errors_AndLogs_NeverContainTheKey()
    {
        var logs = new CollectingLoggerProvider();
        _server.Enqueue(ScriptedReply.WithError(401, "authentication_error", $"invalid x-api-key: {Key}"));
        using var client = new AnthropicChatClient(Options(), logs.CreateFactory());

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
        Assert.Contains("authentication_error", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, logs.AllText, StringComparison.Ordinal);
        Assert.Contains("Anthropic request failed", logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, client.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transport_ConnectionRefused_IsATransientProviderException()
    {
        var port = _server.BaseAddress.Port;
        await _server.DisposeAsync();
        using var client = Client(o => { o.MaxRetries = 0; o.Endpoint = new Uri($"http://127.0.0.1:{port}/"); });

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.True(exception.IsTransient);
        Assert.Null(exception.StatusCode);
        _server = await Wire.StartAsync<AnthropicWireServer>();
    }

    [Fact]
    public async Task Timeout_BeforeTheResponseStarts_IsATransientProviderExceptionNotACallerCancellation()
    {
        _server.Enqueue(ScriptedReply.WithText("late") with { ChunkDelay = TimeSpan.FromSeconds(20) });
        using var client = Client(o => { o.Timeout = TimeSpan.FromSeconds(1); o.MaxRetries = 0; });
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var exception = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: guard.Token))
            {
                Assert.Fail("no update was expected, got: " + update.Text);
            }
        });

        Assert.True(exception.IsTransient);
        Assert.Contains("timed out", exception.Message, StringComparison.Ordinal);
        Assert.False(guard.IsCancellationRequested);
    }

    [Fact]
    public async Task Request_WithTheCallersOwnRawRepresentationFactory_LeavesItInCharge()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = Client();
        var raw = global::Anthropic.Models.Messages.MessageCreateParams.FromRawUnchecked(
            new Dictionary<string, System.Text.Json.JsonElement>(),
            new Dictionary<string, System.Text.Json.JsonElement>(),
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>("""{"model":"claude-raw","max_tokens":12,"messages":[],"top_k":3}""")!);

        await client.GetResponseAsync("hi", new ChatOptions { RawRepresentationFactory = _ => raw });

        var body = LastBody();
        Assert.Equal("claude-raw", (string?)body["model"]);
        Assert.Equal(12, (int)body["max_tokens"]!);
        Assert.Equal(3, (int)body["top_k"]!);
        Assert.Equal("hi", (string?)body["messages"]![0]!["content"]![0]!["text"]);
    }

    [Fact]
    public void GetService_ReturnsMetadataTheSdkClientAndItself()
    {
        using var client = Client();

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.Equal("anthropic", metadata?.ProviderName);
        Assert.Equal("claude-unit", metadata?.DefaultModelId);
        Assert.Same(client, client.GetService<AnthropicChatClient>());
        Assert.NotNull(client.GetService<global::Anthropic.IAnthropicClient>());
    }

    private static async Task<List<ChatResponseUpdate>> Collect(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    private AnthropicOptions Options(Action<AnthropicOptions>? configure = null)
    {
        var options = new AnthropicOptions { ApiKey = Key, Model = "claude-unit", Endpoint = _server.BaseAddress };
        configure?.Invoke(options);
        return options;
    }

    private AnthropicChatClient Client(Action<AnthropicOptions>? configure = null) => new(Options(configure));

    private JsonNode LastBody() => JsonNode.Parse(_server.Requests[^1].BodyText)!;
}
