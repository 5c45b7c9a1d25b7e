using System.Net;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Recorded;

// Transcripts of api.openai.com as its public material shows them, trimmed to what matters. Fields our wire server
// does not emit are kept on purpose: service_tier, system_fingerprint, logprobs: null, refusal: null, annotations,
// usage: null on every chunk (stream_options.include_usage), obfuscation, *_tokens_details.
public sealed class OpenAIRecordedTests
{
    private const string Key = "sk-proj-recorded0123456789abcdef";

    // Shape: OpenAI API reference "Create chat completion" streaming example, plus the include_usage final chunk and
    // the obfuscation field OpenAI added in 2025 (openai-python/openai-node ChatCompletionChunk types).
    private const string StreamedText = """
        data: {"id":"chatcmpl-C3kQy1Vn2bYtq8sBJzGm0wLrX9aZc","object":"chat.completion.chunk","created":1754925812,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_34a54ae93c","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"t9Q"}

        data: {"id":"chatcmpl-C3kQy1Vn2bYtq8sBJzGm0wLrX9aZc","object":"chat.completion.chunk","created":1754925812,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_34a54ae93c","choices":[{"index":0,"delta":{"content":"It's"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"vN1Lr8"}

        data: {"id":"chatcmpl-C3kQy1Vn2bYtq8sBJzGm0wLrX9aZc","object":"chat.completion.chunk","created":1754925812,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_34a54ae93c","choices":[{"index":0,"delta":{"content":" sunny"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"0Xq"}

        data: {"id":"chatcmpl-C3kQy1Vn2bYtq8sBJzGm0wLrX9aZc","object":"chat.completion.chunk","created":1754925812,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_34a54ae93c","choices":[{"index":0,"delta":{"content":" in Paris — 22 °C."},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"Zk"}

        data: {"id":"chatcmpl-C3kQy1Vn2bYtq8sBJzGm0wLrX9aZc","object":"chat.completion.chunk","created":1754925812,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_34a54ae93c","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null,"obfuscation":"d1Xw2"}

        data: {"id":"chatcmpl-C3kQy1Vn2bYtq8sBJzGm0wLrX9aZc","object":"chat.completion.chunk","created":1754925812,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_34a54ae93c","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"obfuscation":"Q"}

        data: [DONE]


        """;

    // Shape: tool-call deltas as captured from api.openai.com in BerriAI/litellm#5231 and langchain4j/langchain4j#1853
    // (first delta carries index, id, type, name and "arguments":"", later ones only index + argument fragments);
    // a second parallel call at index 1.
    private const string StreamedParallelToolCalls = """
        data: {"id":"chatcmpl-A3aVcx0sWb1nP2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_9oOUGn7XVM1S9AdJeglwUv1Z","type":"function","function":{"name":"get_current_weather","arguments":""}}],"refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-A3aVcx0sWb1nP2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"lo"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-A3aVcx0sWb1nP2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"catio"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-A3aVcx0sWb1nP2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"n\": \"Paris, France\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-A3aVcx0sWb1nP2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_Xq3bTn4ZC0k2Hh1uK9vW7yPs","type":"function","function":{"name":"get_current_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-A3aVcx0sWb1nP2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"location\": \"Tokyo, Japan\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-A3aVcx0sWb1nP2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}

        data: {"id":"chatcmpl-A3aVcx0sWb1nP2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[],"usage":{"prompt_tokens":80,"completion_tokens":48,"total_tokens":128,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}

        data: [DONE]


        """;

    // Shape: OpenAI API reference "Create chat completion" default example response (refusal, annotations,
    // the token detail objects, service_tier, system_fingerprint).
    private const string CompletionText = """
        {
          "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
          "object": "chat.completion",
          "created": 1741570283,
          "model": "gpt-4o-2024-08-06",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "Hello! How can I assist you today?",
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 19,
            "completion_tokens": 10,
            "total_tokens": 29,
            "prompt_tokens_details": {
              "cached_tokens": 0,
              "audio_tokens": 0
            },
            "completion_tokens_details": {
              "reasoning_tokens": 0,
              "audio_tokens": 0,
              "accepted_prediction_tokens": 0,
              "rejected_prediction_tokens": 0
            }
          },
          "service_tier": "default",
          "system_fingerprint": "fp_fc9f1d7035"
        }
        """;

    // Shape: OpenAI API reference function-calling example response (content null, tool_calls with type "function").
    private const string CompletionToolCall = """
        {
          "id": "chatcmpl-abc123",
          "object": "chat.completion",
          "created": 1699896916,
          "model": "gpt-4o-mini",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": null,
                "tool_calls": [
                  {
                    "id": "call_abc123",
                    "type": "function",
                    "function": {
                      "name": "get_current_weather",
                      "arguments": "{\n\"location\": \"Boston, MA\"\n}"
                    }
                  }
                ],
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "tool_calls"
            }
          ],
          "usage": {
            "prompt_tokens": 82,
            "completion_tokens": 17,
            "total_tokens": 99,
            "completion_tokens_details": {
              "reasoning_tokens": 0,
              "accepted_prediction_tokens": 0,
              "rejected_prediction_tokens": 0
            }
          }
        }
        """;

    // Shape: OpenAI error-codes guide, 401 "Incorrect API key provided" (the key shown masked, as OpenAI does).
    private const string InvalidKeyError = """
        {
            "error": {
                "message": "Incorrect API key provided: sk-proj-********************cdef. You can find your API key at https://platform.openai.com/account/api-keys.",
                "type": "invalid_request_error",
                "param": null,
                "code": "invalid_api_key"
            }
        }
        """;

    // Shape: OpenAI rate-limit guide 429 body and its x-ratelimit-* headers (reset in Go duration syntax).
    private const string RateLimitError = """
        {
            "error": {
                "message": "Rate limit reached for gpt-4o-mini in organization org-abc123 on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.",
                "type": "requests",
                "param": null,
                "code": "rate_limit_exceeded"
            }
        }
        """;

    // Shape: OpenAI error-codes guide, 429 "You exceeded your current quota" — waiting does not help.
    private const string QuotaError = """
        {
            "error": {
                "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
                "type": "insufficient_quota",
                "param": null,
                "code": "insufficient_quota"
            }
        }
        """;

    // Shape: OpenAI embeddings API reference example (float encoding).
    private const string EmbeddingsFloat = """
        {
          "object": "list",
          "data": [
            {
              "object": "embedding",
              "embedding": [0.0023064255, -0.009327292, 0.015797347],
              "index": 0
            },
            {
              "object": "embedding",
              "embedding": [-0.0069292834, 0.0064849623, -0.0238497],
              "index": 1
            }
          ],
          "model": "text-embedding-3-small",
          "usage": {
            "prompt_tokens": 8,
            "total_tokens": 8
          }
        }
        """;

    // Shape: the same with encoding_format "base64" (what the official SDKs request): little-endian float32
    // [0.5, -0.25, 1.0] and [1.0, 0.5, -0.25].
    private const string EmbeddingsBase64 = """
        {
          "object": "list",
          "data": [
            {"object": "embedding", "index": 0, "embedding": "AAAAPwAAgL4AAIA/"},
            {"object": "embedding", "index": 1, "embedding": "AACAPwAAAD8AAIC+"}
          ],
          "model": "text-embedding-3-small",
          "usage": {"prompt_tokens": 4, "total_tokens": 4}
        }
        """;

    [Fact]
    public async Task StreamedText_WithUsageNullOnEveryChunkAndObfuscation_YieldsTextUsageAndStop()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(StreamedText));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        Assert.Equal("It's sunny in Paris — 22 °C.", merged.Text);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal(19, merged.Usage?.InputTokenCount);
        Assert.Equal(10, merged.Usage?.OutputTokenCount);
        Assert.Equal("gpt-4o-mini-2024-07-18", merged.ModelId);
        Assert.Equal("chatcmpl-C3kQy1Vn2bYtq8sBJzGm0wLrX9aZc", merged.ResponseId);
        Assert.Empty(Calls(updates));
    }

    [Fact]
    public async Task StreamedText_CutAtOddByteBoundaries_YieldsTheSameText()
    {
        // The body is flushed in 7-byte pieces: lines, JSON and the multi-byte "—" and "°" are cut mid-way.
        await using var server = ReplayServer.Start(RecordedReply.Sse(StreamedText, chunkSize: 7));
        using var client = Client(server);

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("It's sunny in Paris — 22 °C.", merged.Text);
        Assert.Equal(29, merged.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task StreamedParallelToolCalls_YieldTwoCallsWithServerIdsAndParsedArguments()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(StreamedParallelToolCalls));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        var calls = Calls(updates);
        Assert.Equal(2, calls.Count);
        Assert.Equal("call_9oOUGn7XVM1S9AdJeglwUv1Z", calls[0].CallId);
        Assert.Equal("get_current_weather", calls[0].Name);
        Assert.Equal("Paris, France", Argument(calls[0], "location"));
        Assert.Equal("call_Xq3bTn4ZC0k2Hh1uK9vW7yPs", calls[1].CallId);
        Assert.Equal("Tokyo, Japan", Argument(calls[1], "location"));
        Assert.Equal(ChatFinishReason.ToolCalls, merged.FinishReason);
        Assert.Equal(128, merged.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task CompletionText_FromTheApiReference_YieldsTextUsageModelAndId()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(CompletionText));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Hello!", cancellationToken: Guard());

        Assert.Equal("Hello! How can I assist you today?", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(19, response.Usage?.InputTokenCount);
        Assert.Equal(10, response.Usage?.OutputTokenCount);
        Assert.Equal("gpt-4o-2024-08-06", response.ModelId);
        Assert.Equal("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", response.ResponseId);
        Assert.NotNull(response.RawRepresentation);
    }

    [Fact]
    public async Task CompletionToolCall_WithNewlinesInArguments_YieldsTheParsedCall()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(CompletionToolCall));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Weather in Boston?", cancellationToken: Guard());

        var call = Assert.Single(Calls(response));
        Assert.Equal("call_abc123", call.CallId);
        Assert.Equal("get_current_weather", call.Name);
        Assert.Equal("Boston, MA", Argument(call, "location"));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal(99, response.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task InvalidKey401_IsAProviderExceptionWithCodeAndNoKey()
    {
        await using var server = ReplayServer.Start(new RecordedReply(401, InvalidKeyError) { Headers = new Dictionary<string, string> { ["x-request-id"] = "req_8a4b1f0c2d3e4f5a6b7c8d9e0f1a2b3c" } });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("invalid_api_key", ex.ErrorCode);
        Assert.Contains("Incorrect API key provided", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.Equal("req_8a4b1f0c2d3e4f5a6b7c8d9e0f1a2b3c", ex.RequestId);
        Assert.False(ex.IsTransient);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidKey401_WhenStreaming_ThrowsOnTheFirstMove()
    {
        await using var server = ReplayServer.Start(new RecordedReply(401, InvalidKeyError));
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("invalid_api_key", ex.ErrorCode);
    }

    [Fact]
    public async Task RateLimit429_WithOpenAIRateLimitHeaders_ReportsTheResetAsRetryAfter()
    {
        await using var server = ReplayServer.Start(new RecordedReply(429, RateLimitError) { Headers = RateLimitHeaders() });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal("rate_limit_exceeded", ex.ErrorCode);
        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(20), ex.RetryAfter);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task RateLimit429_ThenSuccess_IsRetriedOnceAndSucceeds()
    {
        var headers = new Dictionary<string, string>
        {
            ["x-ratelimit-limit-requests"] = "500",
            ["x-ratelimit-remaining-requests"] = "0",
            ["x-ratelimit-reset-requests"] = "120ms",
            ["x-ratelimit-limit-tokens"] = "200000",
            ["x-ratelimit-remaining-tokens"] = "199970",
            ["x-ratelimit-reset-tokens"] = "9ms",
        };
        await using var server = ReplayServer.Start(new RecordedReply(429, RateLimitError) { Headers = headers }, RecordedReply.Json(CompletionText));
        using var client = Client(server, maxRetries: 2);

        var response = await client.GetResponseAsync("hi", cancellationToken: Guard());

        Assert.Equal("Hello! How can I assist you today?", response.Text);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task InsufficientQuota429_IsNotTransientAndNotRetried()
    {
        await using var server = ReplayServer.Start(new RecordedReply(429, QuotaError), RecordedReply.Json(CompletionText));
        using var client = Client(server, maxRetries: 2);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal("insufficient_quota", ex.ErrorCode);
        Assert.False(ex.IsTransient);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task EmbeddingsAsFloats_YieldVectorsInOrderWithUsage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(EmbeddingsFloat));
        using var generator = OpenAIClientFactory.CreateEmbeddingGenerator(new OpenAIOptions { ApiKey = Key, Model = "gpt-4o-mini", EmbeddingModel = "text-embedding-3-small", Endpoint = new Uri(server.BaseAddress, "v1"), MaxRetries = 0 });

        var embeddings = await generator.GenerateAsync(["first", "second"], cancellationToken: Guard());

        Assert.Equal(2, embeddings.Count);
        Assert.Equal([0.0023064255f, -0.009327292f, 0.015797347f], embeddings[0].Vector.ToArray());
        Assert.Equal([-0.0069292834f, 0.0064849623f, -0.0238497f], embeddings[1].Vector.ToArray());
        Assert.Equal(8, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task EmbeddingsAsBase64_YieldDecodedVectorsInOrder()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(EmbeddingsBase64));
        using var generator = OpenAIClientFactory.CreateEmbeddingGenerator(new OpenAIOptions { ApiKey = Key, Model = "gpt-4o-mini", EmbeddingModel = "text-embedding-3-small", Endpoint = new Uri(server.BaseAddress, "v1"), MaxRetries = 0 });

        var embeddings = await generator.GenerateAsync(["first", "second"], cancellationToken: Guard());

        Assert.Equal([0.5f, -0.25f, 1.0f], embeddings[0].Vector.ToArray());
        Assert.Equal([1.0f, 0.5f, -0.25f], embeddings[1].Vector.ToArray());
    }

    private static Dictionary<string, string> RateLimitHeaders() => new()
    {
        ["x-ratelimit-limit-requests"] = "3",
        ["x-ratelimit-remaining-requests"] = "0",
        ["x-ratelimit-reset-requests"] = "20s",
        ["x-ratelimit-limit-tokens"] = "40000",
        ["x-ratelimit-remaining-tokens"] = "39970",
        ["x-ratelimit-reset-tokens"] = "45ms",
        ["x-request-id"] = "req_1f6d8e0a2b4c6d8e0f1a3b5c7d9e1f2a",
    };

    private static IChatClient Client(ReplayServer server, int maxRetries = 0) =>
        OpenAIClientFactory.CreateChatClient(new OpenAIOptions { ApiKey = Key, Model = "gpt-4o-mini", Endpoint = new Uri(server.BaseAddress, "v1"), MaxRetries = maxRetries });
}
