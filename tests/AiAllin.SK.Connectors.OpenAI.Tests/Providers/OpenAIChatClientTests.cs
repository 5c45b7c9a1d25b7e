using System.Net;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.OpenAI.Tests.WireFormat;
using AiAllin.SK.Testing.Logging;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Providers;

/// <summary>What our layer adds or fixes over the OpenAI SDK and its Microsoft.Extensions.AI adapter.</summary>
public sealed class OpenAIChatClientTests
{
    private const string Key = "sk-behaviour-9a8b7c6d5e4f3a2b1c0d";

    [Fact]
    public async Task Retry_SdkRetryLoopIsOff_OnlyTheContractRetriesCount()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(
            ScriptedReply.WithError(500, "server_error", "boom 1"),
            ScriptedReply.WithError(500, "server_error", "boom 2"),
            ScriptedReply.WithError(500, "server_error", "boom 3"),
            ScriptedReply.WithText("too late"));
        using var client = Client(server, o => o.MaxRetries = 1);

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.InternalServerError, exception.StatusCode);
        Assert.Contains("boom 2", exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Retry_Streaming429WithHourLongRetryAfter_FailsAtOnceWithTheDelay()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithError(429, "rate_limit_exceeded", "Rate limit reached for gpt-4o", TimeSpan.FromHours(1)), ScriptedReply.WithText("too late"));
        using var client = Client(server);

        var exception = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Guard()))
            {
                Assert.Fail("no update may arrive");
            }
        });

        Assert.Equal(HttpStatusCode.TooManyRequests, exception.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), exception.RetryAfter);
        Assert.True(exception.IsTransient);
        Assert.Equal("rate_limit_exceeded", exception.ErrorCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Errors_WhenTheServerEchoesTheKey_NeitherExceptionNorLogsContainIt()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithError(401, "invalid_api_key", $"Incorrect API key provided: {Key}. You can find your API key at https://platform.openai.com/account/api-keys."));
        using var logs = new CollectingLoggerProvider();
        using var client = OpenAIClientFactory.CreateChatClient(Options(server), logs.CreateFactory());

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
        Assert.Equal("invalid_api_key", exception.ErrorCode);
        Assert.False(exception.IsTransient);
        Assert.Contains("Incorrect API key provided", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain(Key, logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_InStreamError_IsAProviderExceptionWithTheServerMessage_NotASilentEnd()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("one ", "two ", "three") with { ErrorEventAfter = 1, ErrorEventMessage = "The model is overloaded" });
        using var client = Client(server);
        var text = string.Empty;

        var exception = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Guard()))
            {
                text += update.Text;
            }
        });

        Assert.Equal("one ", text);
        Assert.Equal("server_error", exception.ErrorCode);
        Assert.Equal("The model is overloaded", exception.ProviderMessage);
        Assert.Equal("OpenAI", exception.Provider);
    }

    [Fact]
    public async Task Streaming_MalformedChunk_NamesTheLineAndItsNumber()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("one ", "two ") with { MalformedAfter = 1 });
        using var client = Client(server);

        var exception = await Assert.ThrowsAsync<ProviderStreamException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Guard()))
            {
                Assert.NotNull(update);
            }
        });

        Assert.Contains("\"content\":\"tru", exception.Chunk, StringComparison.Ordinal);
        Assert.Equal(3, exception.ChunkNumber);
        Assert.Contains("OpenAI", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_WhenTheNetworkTimeoutExpires_ThrowsATransientProviderException()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("one ", "two ") with { StallAfter = 1 });
        using var client = Client(server, o => o.Timeout = TimeSpan.FromSeconds(1));
        var text = string.Empty;

        var exception = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Guard()))
            {
                text += update.Text;
            }
        });

        Assert.Equal("one ", text);
        Assert.True(exception.IsTransient);
        Assert.Contains("timed out", exception.Message, StringComparison.Ordinal);
        Assert.True(await server.WaitForDisconnectAsync(), "the stalled connection must be released");
    }

    [Fact]
    public async Task Streaming_EventThatLooksLikeAnObjectButIsNotJson_IsStillNamed()
    {
        const string good = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n";
        const string bad = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":tru},\"finish_reason\":null}]}\n\n";
        using var client = OpenAIClientFactory.CreateChatClient(new OpenAIOptions { ApiKey = Key, Model = "m", MaxRetries = 0 }, null, new SseReplayHandler(good + bad + "data: [DONE]\n\n"));
        var text = string.Empty;

        var exception = await Assert.ThrowsAsync<ProviderStreamException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Guard()))
            {
                text += update.Text;
            }
        });

        Assert.Equal("Hello", text);
        Assert.Contains("\"content\":tru}", exception.Chunk, StringComparison.Ordinal);
        Assert.Equal(2, exception.ChunkNumber);
    }

    [Fact]
    public async Task AdditionalProperties_AreSentAsExtraRequestFields()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("ok"), ScriptedReply.WithText("ok"));
        using var client = Client(server);
        var options = new ChatOptions { AdditionalProperties = new() { ["top_k"] = 40, ["repetition_penalty"] = 1.15, ["chat_template_kwargs"] = new Dictionary<string, object> { ["enable_thinking"] = false } } };

        await client.GetResponseAsync("hi", options, Guard());
        await foreach (var update in client.GetStreamingResponseAsync("hi", options, Guard()))
        {
            Assert.NotNull(update);
        }

        foreach (var request in server.Requests)
        {
            Assert.Equal(40, (int?)request.Body!["top_k"]);
            Assert.Equal(1.15, (double?)request.Body!["repetition_penalty"]);
            Assert.False((bool?)request.Body!["chat_template_kwargs"]!["enable_thinking"]);
        }

        Assert.Equal(true, (bool?)server.Requests[1].Body!["stream"]);
    }

    [Fact]
    public async Task Defaults_FromOptions_ApplyWhenTheCallSetsNone()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("ok"), ScriptedReply.WithText("ok"));
        using var client = Client(server, o => { o.MaxTokens = 500; o.Temperature = 0.3f; });

        await client.GetResponseAsync("hi", cancellationToken: Guard());
        await client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 20, Temperature = 1.5f }, Guard());

        var first = server.Describe(server.Requests[0]);
        Assert.Equal(500, first.MaxTokens);
        Assert.Equal(0.3, first.Temperature!.Value, 3);
        var second = server.Describe(server.Requests[1]);
        Assert.Equal(20, second.MaxTokens);
        Assert.Equal(1.5, second.Temperature!.Value, 3);
    }

    [Fact]
    public async Task Reasoning_FromCompatibleServers_ArrivesAsReasoningContent()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("42") with { ReasoningChunks = ["Let me ", "think."] }, ScriptedReply.WithText("42") with { ReasoningChunks = ["Let me ", "think."] });
        using var client = OpenAIClientFactory.CreateChatClient(new OpenAICompatibleOptions { Name = "vLLM", Model = "deepseek-r1", Endpoint = new Uri(server.BaseAddress, "v1") });

        var response = await client.GetResponseAsync("question", cancellationToken: Guard());
        var streamed = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync("question", cancellationToken: Guard()))
        {
            streamed += string.Concat(update.Contents.OfType<TextReasoningContent>().Select(r => r.Text));
        }

        Assert.Equal("42", response.Text);
        Assert.Equal("Let me think.", string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal("Let me think.", streamed);
    }

    [Fact]
    public async Task Compatible_WithoutKey_SendsNoAuthorizationHeader()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("local"));
        var options = OpenAICompatibleOptions.LMStudio("qwen2.5-7b-instruct");
        options.Endpoint = new Uri(server.BaseAddress, "v1");
        using var client = OpenAIClientFactory.CreateChatClient(options);

        var response = await client.GetResponseAsync("hi", cancellationToken: Guard());

        Assert.Equal("local", response.Text);
        Assert.Null(server.Requests.Single().Header("Authorization"));
        Assert.Null(server.Describe(server.Requests.Single()).Credential);
    }

    [Fact]
    public async Task Compatible_Errors_NameTheServer()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithError(404, "model_not_found", "The model `nope` does not exist."));
        var options = OpenAICompatibleOptions.Vllm("nope");
        options.Endpoint = new Uri(server.BaseAddress, "v1");
        using var client = OpenAIClientFactory.CreateChatClient(options);

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal("vLLM", exception.Provider);
        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
    }

    [Fact]
    public async Task Groq_ExtraFields_AreToleratedAndUsageIsRead()
    {
        await using var server = await WireServer.StartAsync<GroqWireServer>();
        server.Enqueue(ScriptedReply.WithText("fast ", "answer") with { Usage = new ScriptedUsage(30, 2) }, ScriptedReply.WithText("fast answer") with { Usage = new ScriptedUsage(30, 2) });
        using var client = OpenAIClientFactory.CreateChatClient(new GroqOptions { ApiKey = "gsk_behaviour0123456789abcdef", Model = "llama-3.3-70b-versatile", Endpoint = new Uri(server.BaseAddress, "openai/v1") });

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Guard()))
        {
            updates.Add(update);
        }

        var response = await client.GetResponseAsync("hi", cancellationToken: Guard());

        Assert.Equal("fast answer", string.Concat(updates.Select(u => u.Text)));
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single().Details;
        Assert.Equal(30, usage.InputTokenCount);
        Assert.Equal(2, usage.OutputTokenCount);
        Assert.Equal("fast answer", response.Text);
        Assert.Equal(32, response.Usage?.TotalTokenCount);
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.Stop);
    }

    private static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private static OpenAIOptions Options(OpenAIWireServer server) => new()
    {
        ApiKey = Key,
        Model = "gpt-4o-mini",
        Endpoint = new Uri(server.BaseAddress, "v1"),
    };

    private static IChatClient Client(OpenAIWireServer server, Action<OpenAIOptions>? configure = null)
    {
        var options = Options(server);
        configure?.Invoke(options);
        return OpenAIClientFactory.CreateChatClient(options);
    }

    private sealed class SseReplayHandler(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StringContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }
}
