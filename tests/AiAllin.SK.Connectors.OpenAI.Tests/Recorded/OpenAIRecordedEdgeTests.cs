using System.Net;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Recorded;

// Second round of recorded OpenAI-family traffic: server errors, SSE framing variants real servers use, Azure tool
// calls with filter results, and Groq's rate limit with a wait above the retry cap.
public sealed class OpenAIRecordedEdgeTests
{
    private const string Key = "sk-proj-recorded0123456789abcdef";

    // Shape: OpenAI error-codes guide, 500 "The server had an error while processing your request".
    private const string ServerError500 = """
        {
          "error": {
            "message": "The server had an error while processing your request. Sorry about that!",
            "type": "server_error",
            "param": null,
            "code": null
          }
        }
        """;

    // Shape: the same error written into an already-open stream (openai/openai-python's stream error handling).
    private const string ServerErrorMidStream = """
        data: {"id":"chatcmpl-E1","object":"chat.completion.chunk","created":1754926000,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_34a54ae93c","choices":[{"index":0,"delta":{"role":"assistant","content":"Partial","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}


        """;

    // Shape: OpenAI 404 for an unknown model.
    private const string ModelNotFound404 = """
        {
            "error": {
                "message": "The model `gpt-5-turbo` does not exist or you do not have access to it.",
                "type": "invalid_request_error",
                "param": null,
                "code": "model_not_found"
            }
        }
        """;

    // Shape: OpenAI 400 context_length_exceeded with param "messages".
    private const string ContextLength400 = """
        {
          "error": {
            "message": "This model's maximum context length is 128000 tokens. However, your messages resulted in 131385 tokens. Please reduce the length of the messages.",
            "type": "invalid_request_error",
            "param": "messages",
            "code": "context_length_exceeded"
          }
        }
        """;

    // Shape: Groq rate-limit error (console.groq.com/docs/errors and rate-limits): type "tokens", retry-after in whole
    // seconds and x-ratelimit-reset-tokens with fractional seconds.
    private const string GroqRateLimit429 = """
        {"error":{"message":"Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_01hq3example` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 5913, Requested 1123. Please try again in 10.36s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing","type":"tokens","code":"rate_limit_exceeded"}}
        """;

    // The same text stream framed as some servers write it: CRLF line ends, "data:" without the space, a keep-alive
    // comment and an "event:" name (LiteLLM/vLLM-behind-proxies captures; the SSE spec allows all of these).
    private const string FramingVariantsStream = "data:{\"id\":\"chatcmpl-F1\",\"object\":\"chat.completion.chunk\",\"created\":1754926100,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"A\"},\"finish_reason\":null}]}\r\n\r\n"
        + ": keep-alive\r\n\r\n"
        + "event: message\r\ndata: {\"id\":\"chatcmpl-F1\",\"object\":\"chat.completion.chunk\",\"created\":1754926100,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"B\"},\"finish_reason\":null}]}\r\n\r\n"
        + "data: {\"id\":\"chatcmpl-F1\",\"object\":\"chat.completion.chunk\",\"created\":1754926100,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\r\n\r\n"
        + "data: [DONE]\r\n\r\n";

    // Shape: Azure OpenAI 2024-10-21 streamed tool call: prompt_filter_results first, tool-call deltas with
    // content_filter_results {} on every choice, finish_reason tool_calls.
    private const string AzureToolCallStream = """
        data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":false,"detected":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]}

        data: {"choices":[{"content_filter_results":{},"delta":{"content":null,"refusal":null,"role":"assistant","tool_calls":[{"function":{"arguments":"","name":"get_current_weather"},"id":"call_Q1w2E3r4T5y6U7i8O9p0A1s2","index":0,"type":"function"}]},"finish_reason":null,"index":0,"logprobs":null}],"created":1732002000,"id":"chatcmpl-AVy3dS4eT5fU6gV7hW8iX9jK0lM","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291"}

        data: {"choices":[{"content_filter_results":{},"delta":{"tool_calls":[{"function":{"arguments":"{\"location\":"},"index":0}]},"finish_reason":null,"index":0,"logprobs":null}],"created":1732002000,"id":"chatcmpl-AVy3dS4eT5fU6gV7hW8iX9jK0lM","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291"}

        data: {"choices":[{"content_filter_results":{},"delta":{"tool_calls":[{"function":{"arguments":"\"Seattle, WA\"}"},"index":0}]},"finish_reason":null,"index":0,"logprobs":null}],"created":1732002000,"id":"chatcmpl-AVy3dS4eT5fU6gV7hW8iX9jK0lM","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291"}

        data: {"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"tool_calls","index":0,"logprobs":null}],"created":1732002000,"id":"chatcmpl-AVy3dS4eT5fU6gV7hW8iX9jK0lM","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291"}

        data: [DONE]


        """;

    [Fact]
    public async Task ServerError500_ThenSuccess_IsRetried()
    {
        const string ok = """{"id":"chatcmpl-OK","object":"chat.completion","created":1754926200,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Recovered.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7},"service_tier":"default","system_fingerprint":"fp_34a54ae93c"}""";
        await using var server = ReplayServer.Start(new RecordedReply(500, ServerError500), RecordedReply.Json(ok));
        using var client = Client(server, maxRetries: 2);

        var response = await client.GetResponseAsync("hi", cancellationToken: Guard());

        Assert.Equal("Recovered.", response.Text);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task ServerError500_WithoutRetries_IsTransient()
    {
        await using var server = ReplayServer.Start(new RecordedReply(500, ServerError500));
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Contains("The server had an error", ex.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerErrorMidStream_DeliversTheTextThenThrowsWithTheServerMessage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(ServerErrorMidStream));
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
        Assert.Contains("The server had an error", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelNotFound404_CarriesTheCode()
    {
        await using var server = ReplayServer.Start(new RecordedReply(404, ModelNotFound404));
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("model_not_found", ex.ErrorCode);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task ContextLength400_CarriesTheCodeAndMessage()
    {
        await using var server = ReplayServer.Start(new RecordedReply(400, ContextLength400));
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("context_length_exceeded", ex.ErrorCode);
        Assert.Contains("maximum context length is 128000 tokens", ex.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroqRateLimit429_WithAWaitAboveTheCap_FailsFastAfterOneRequest()
    {
        var headers = new Dictionary<string, string>
        {
            ["retry-after"] = "11",
            ["x-ratelimit-limit-requests"] = "14400",
            ["x-ratelimit-limit-tokens"] = "6000",
            ["x-ratelimit-remaining-requests"] = "14370",
            ["x-ratelimit-remaining-tokens"] = "0",
            ["x-ratelimit-reset-requests"] = "2m59.56s",
            ["x-ratelimit-reset-tokens"] = "10.36s",
            ["x-request-id"] = "req_01jdvxyzexample",
        };
        await using var server = ReplayServer.Start(new RecordedReply(429, GroqRateLimit429) { Headers = headers }, new RecordedReply(429, GroqRateLimit429) { Headers = headers });
        using var client = OpenAIClientFactory.CreateChatClient(new GroqOptions { ApiKey = "gsk_recorded0123456789abcdef", Model = "llama-3.3-70b-versatile", Endpoint = new Uri(server.BaseAddress, "openai/v1"), MaxRetries = 2 });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal("rate_limit_exceeded", ex.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(11), ex.RetryAfter);
        Assert.True(ex.IsTransient);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task FramingVariants_CrlfNoSpaceCommentsAndEventNames_YieldTheText()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(FramingVariantsStream));
        using var client = OpenAIClientFactory.CreateChatClient(new OpenAICompatibleOptions { Name = "LiteLLM", Model = "m", Endpoint = new Uri(server.BaseAddress, "v1"), MaxRetries = 0 });

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Guard()))
        {
            updates.Add(update);
        }

        var merged = updates.ToChatResponse();
        Assert.Equal("AB", merged.Text);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal(5, merged.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task AzureToolCallStream_WithFilterResultsOnEveryChoice_YieldsTheCall()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(AzureToolCallStream));
        using var client = AzureOpenAIClientFactory.CreateChatClient(new AzureOpenAIOptions { Endpoint = server.BaseAddress, ApiKey = "0123456789abcdef0123456789abcdef", Deployment = "gpt-4o", MaxRetries = 0 });

        var (updates, merged) = await StreamAsync(client);

        var call = Assert.Single(Calls(updates));
        Assert.Equal("call_Q1w2E3r4T5y6U7i8O9p0A1s2", call.CallId);
        Assert.Equal("Seattle, WA", Argument(call, "location"));
        Assert.Equal(ChatFinishReason.ToolCalls, merged.FinishReason);
        Assert.Equal("chatcmpl-AVy3dS4eT5fU6gV7hW8iX9jK0lM", merged.ResponseId);
    }

    private static IChatClient Client(ReplayServer server, int maxRetries = 0) =>
        OpenAIClientFactory.CreateChatClient(new OpenAIOptions { ApiKey = Key, Model = "gpt-4o-mini", Endpoint = new Uri(server.BaseAddress, "v1"), MaxRetries = maxRetries });
}
