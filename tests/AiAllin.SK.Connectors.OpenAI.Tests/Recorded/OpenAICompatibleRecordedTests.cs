using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Recorded;

// Transcripts of OpenAI-compatible servers, each with the quirk real traffic shows and our wire server does not.
public sealed class OpenAICompatibleRecordedTests
{
    // Shape: Groq text-chat docs streaming example: x_groq.id on the first chunk, x_groq.usage with Groq's timing
    // fields on the last, top-level usage (with the same timing fields) when stream_options.include_usage is set.
    private const string GroqStream = """
        data: {"id":"chatcmpl-3f5f2b4e-8d7c-4a4b-9c0e-1d2e3f4a5b6c","object":"chat.completion.chunk","created":1733150000,"model":"llama-3.3-70b-versatile","system_fingerprint":"fp_c0cfa69934","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"x_groq":{"id":"req_01je4kq9fhfx0r8z7y6w5v4u3t"}}

        data: {"id":"chatcmpl-3f5f2b4e-8d7c-4a4b-9c0e-1d2e3f4a5b6c","object":"chat.completion.chunk","created":1733150000,"model":"llama-3.3-70b-versatile","system_fingerprint":"fp_c0cfa69934","choices":[{"index":0,"delta":{"content":"Fast"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-3f5f2b4e-8d7c-4a4b-9c0e-1d2e3f4a5b6c","object":"chat.completion.chunk","created":1733150000,"model":"llama-3.3-70b-versatile","system_fingerprint":"fp_c0cfa69934","choices":[{"index":0,"delta":{"content":" inference."},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-3f5f2b4e-8d7c-4a4b-9c0e-1d2e3f4a5b6c","object":"chat.completion.chunk","created":1733150000,"model":"llama-3.3-70b-versatile","system_fingerprint":"fp_c0cfa69934","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"x_groq":{"id":"req_01je4kq9fhfx0r8z7y6w5v4u3t","usage":{"queue_time":0.019542,"prompt_tokens":40,"prompt_time":0.002423,"completion_tokens":3,"completion_time":0.010909,"total_tokens":43,"total_time":0.013332}},"usage":{"queue_time":0.019542,"prompt_tokens":40,"prompt_time":0.002423,"completion_tokens":3,"completion_time":0.010909,"total_tokens":43,"total_time":0.013332}}

        data: [DONE]


        """;

    // Shape: OpenRouter streaming docs: ": OPENROUTER PROCESSING" SSE comments while the provider warms up, the
    // provider and native_finish_reason fields, and the usage chunk (with cost) that still has a choice.
    private const string OpenRouterStream = """
        : OPENROUTER PROCESSING

        : OPENROUTER PROCESSING

        data: {"id":"gen-1733150123-Xk2LmN3oP4qR5sT6uV7w","provider":"OpenAI","model":"openai/gpt-4o-mini","object":"chat.completion.chunk","created":1733150123,"choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"system_fingerprint":"fp_0ba0d124f1"}

        : OPENROUTER PROCESSING

        data: {"id":"gen-1733150123-Xk2LmN3oP4qR5sT6uV7w","provider":"OpenAI","model":"openai/gpt-4o-mini","object":"chat.completion.chunk","created":1733150123,"choices":[{"index":0,"delta":{"role":"assistant","content":" there!"},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"system_fingerprint":"fp_0ba0d124f1"}

        data: {"id":"gen-1733150123-Xk2LmN3oP4qR5sT6uV7w","provider":"OpenAI","model":"openai/gpt-4o-mini","object":"chat.completion.chunk","created":1733150123,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop","native_finish_reason":"stop","logprobs":null}],"system_fingerprint":"fp_0ba0d124f1"}

        data: {"id":"gen-1733150123-Xk2LmN3oP4qR5sT6uV7w","provider":"OpenAI","model":"openai/gpt-4o-mini","object":"chat.completion.chunk","created":1733150123,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13,"cost":0.0000033,"is_byok":false,"prompt_tokens_details":{"cached_tokens":0},"cost_details":{"upstream_inference_cost":null},"completion_tokens_details":{"reasoning_tokens":0}}}

        data: [DONE]


        """;

    // Shape: OpenRouter error-handling docs, "errors during streaming": HTTP 200 already sent, so the error arrives
    // as a chunk with a top-level error object and finish_reason "error".
    private const string OpenRouterMidStreamError = """
        : OPENROUTER PROCESSING

        data: {"id":"gen-1733150200-Ab1Cd2Ef3Gh4","provider":"OpenAI","model":"openai/gpt-4o-mini","object":"chat.completion.chunk","created":1733150200,"choices":[{"index":0,"delta":{"role":"assistant","content":"Partial"},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

        data: {"id":"cmpl-abc123","object":"chat.completion.chunk","created":1733150201,"model":"openai/gpt-4o-mini","provider":"openai","error":{"code":"server_error","message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}


        """;

    // Shape: llama.cpp server (tools/server) OAI-compatible stream: first delta with content null, usage on the
    // finish chunk that still has a choice, and llama.cpp's "timings" object.
    private const string LlamaCppStream = """
        data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"created":1733150300,"id":"chatcmpl-q1w2e3r4t5y6u7i8o9p0","model":"gpt-3.5-turbo","system_fingerprint":"b4600-a4417ddd","object":"chat.completion.chunk"}

        data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Hi"}}],"created":1733150300,"id":"chatcmpl-q1w2e3r4t5y6u7i8o9p0","model":"gpt-3.5-turbo","system_fingerprint":"b4600-a4417ddd","object":"chat.completion.chunk"}

        data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":" there"}}],"created":1733150300,"id":"chatcmpl-q1w2e3r4t5y6u7i8o9p0","model":"gpt-3.5-turbo","system_fingerprint":"b4600-a4417ddd","object":"chat.completion.chunk"}

        data: {"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"created":1733150300,"id":"chatcmpl-q1w2e3r4t5y6u7i8o9p0","model":"gpt-3.5-turbo","system_fingerprint":"b4600-a4417ddd","object":"chat.completion.chunk","usage":{"completion_tokens":2,"prompt_tokens":9,"total_tokens":11},"timings":{"prompt_n":9,"prompt_ms":25.118,"prompt_per_token_ms":2.791,"prompt_per_second":358.31,"predicted_n":2,"predicted_ms":30.215,"predicted_per_token_ms":15.107,"predicted_per_second":66.19}}

        data: [DONE]


        """;

    // Shape: vLLM OpenAI-compatible tool-call streaming (vllm-project/vllm tool parsers; InternLM/lmdeploy#3412
    // shows the deltas): the first delta has id, type and name but no "arguments"; later deltas repeat index with
    // an EMPTY id; finish_reason "tool_calls"; the usage chunk has choices [].
    private const string VllmToolCallStream = """
        data: {"id":"chatcmpl-8c1f0e3a9b7d4f2e","object":"chat.completion.chunk","created":1733150400,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-8c1f0e3a9b7d4f2e","object":"chat.completion.chunk","created":1733150400,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"tool_calls":[{"id":"chatcmpl-tool-c9ZCzB9b9NikK5kjPBXpFG","type":"function","index":0,"function":{"name":"get_current_weather"}}]},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-8c1f0e3a9b7d4f2e","object":"chat.completion.chunk","created":1733150400,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"tool_calls":[{"id":"","type":"function","index":0,"function":{"arguments":"{\"location\": \""}}]},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-8c1f0e3a9b7d4f2e","object":"chat.completion.chunk","created":1733150400,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"tool_calls":[{"id":"","type":"function","index":0,"function":{"arguments":"Paris\"}"}}]},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-8c1f0e3a9b7d4f2e","object":"chat.completion.chunk","created":1733150400,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"tool_calls","stop_reason":null}]}

        data: {"id":"chatcmpl-8c1f0e3a9b7d4f2e","object":"chat.completion.chunk","created":1733150400,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[],"usage":{"prompt_tokens":180,"total_tokens":201,"completion_tokens":21}}

        data: [DONE]


        """;

    // Shape: Ollama's /v1 compatibility stream before ollama/ollama#7881 was fixed: the tool call has NO index and
    // arrives whole in one chunk, and the stream ends with finish_reason "stop".
    private const string OllamaCompatToolCallWithoutIndex = """
        data: {"id":"chatcmpl-236","object":"chat.completion.chunk","created":1732870000,"model":"llama3.1","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","tool_calls":[{"id":"call_dqj6pfxb","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\":\"Boston, MA\"}"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-236","object":"chat.completion.chunk","created":1732870000,"model":"llama3.1","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}

        data: [DONE]


        """;

    // Shape: DeepSeek reasoning-model guide (deepseek-reasoner): reasoning_content deltas before content, and
    // DeepSeek's prompt_cache_hit/miss usage fields.
    private const string DeepSeekReasonerStream = """
        data: {"id":"5c1e7a2b-3d4f-4a5b-8c9d-0e1f2a3b4c5d","object":"chat.completion.chunk","created":1738000000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"logprobs":null,"finish_reason":null}]}

        data: {"id":"5c1e7a2b-3d4f-4a5b-8c9d-0e1f2a3b4c5d","object":"chat.completion.chunk","created":1738000000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"9.11 vs 9.8:"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"5c1e7a2b-3d4f-4a5b-8c9d-0e1f2a3b4c5d","object":"chat.completion.chunk","created":1738000000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08","choices":[{"index":0,"delta":{"content":null,"reasoning_content":" 0.80 > 0.11."},"logprobs":null,"finish_reason":null}]}

        data: {"id":"5c1e7a2b-3d4f-4a5b-8c9d-0e1f2a3b4c5d","object":"chat.completion.chunk","created":1738000000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08","choices":[{"index":0,"delta":{"content":"9.8 is greater.","reasoning_content":null},"logprobs":null,"finish_reason":null}]}

        data: {"id":"5c1e7a2b-3d4f-4a5b-8c9d-0e1f2a3b4c5d","object":"chat.completion.chunk","created":1738000000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08","choices":[{"index":0,"delta":{"content":"","reasoning_content":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":13,"completion_tokens":40,"total_tokens":53,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":33},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":13}}

        data: [DONE]


        """;

    [Fact]
    public async Task GroqStream_WithXGroqAndTimingUsage_YieldsTextAndUsage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(GroqStream));
        using var client = OpenAIClientFactory.CreateChatClient(new GroqOptions { ApiKey = "gsk_recorded0123456789abcdef", Model = "llama-3.3-70b-versatile", Endpoint = new Uri(server.BaseAddress, "openai/v1"), MaxRetries = 0 });

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("Fast inference.", merged.Text);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal(40, merged.Usage?.InputTokenCount);
        Assert.Equal(3, merged.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task OpenRouterStream_WithProcessingComments_YieldsTextStopAndUsage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(OpenRouterStream));
        using var client = Compatible(server, "OpenRouter", "openai/gpt-4o-mini");

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("Hello there!", merged.Text);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal(13, merged.Usage?.TotalTokenCount);
        Assert.Equal("gen-1733150123-Xk2LmN3oP4qR5sT6uV7w", merged.ResponseId);
    }

    [Fact]
    public async Task OpenRouterMidStreamError_DeliversTheTextThenThrowsWithTheServerMessage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(OpenRouterMidStreamError));
        using var client = Compatible(server, "OpenRouter", "openai/gpt-4o-mini");

        var received = new List<string>();
        var ex = await Assert.ThrowsAnyAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Guard()))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal("Partial", string.Concat(received));
        Assert.Contains("Provider disconnected unexpectedly", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LlamaCppStream_WithTimingsAndUsageOnTheFinishChunk_YieldsTextAndUsage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(LlamaCppStream));
        using var client = Compatible(server, "llama.cpp", "default");

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("Hi there", merged.Text);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal(9, merged.Usage?.InputTokenCount);
        Assert.Equal(2, merged.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task VllmToolCallStream_WithEmptyIdsOnLaterDeltas_KeepsTheFirstId()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(VllmToolCallStream));
        using var client = Compatible(server, "vLLM", "Qwen/Qwen2.5-7B-Instruct");

        var (updates, merged) = await StreamAsync(client);

        var call = Assert.Single(Calls(updates));
        Assert.Equal("chatcmpl-tool-c9ZCzB9b9NikK5kjPBXpFG", call.CallId);
        Assert.Equal("get_current_weather", call.Name);
        Assert.Equal("Paris", Argument(call, "location"));
        Assert.Equal(ChatFinishReason.ToolCalls, merged.FinishReason);
        Assert.Equal(201, merged.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task OllamaCompatToolCallWithoutIndex_YieldsOneCallWithItsId()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(OllamaCompatToolCallWithoutIndex));
        using var client = Compatible(server, "Ollama", "llama3.1");

        var (updates, _) = await StreamAsync(client);

        var call = Assert.Single(Calls(updates));
        Assert.Equal("call_dqj6pfxb", call.CallId);
        Assert.Equal("Boston, MA", Argument(call, "location"));
    }

    [Fact]
    public async Task DeepSeekReasonerStream_YieldsReasoningThenTextAndUsage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(DeepSeekReasonerStream));
        using var client = Compatible(server, "DeepSeek", "deepseek-reasoner");

        var (updates, merged) = await StreamAsync(client);

        Assert.Equal("9.11 vs 9.8: 0.80 > 0.11.", Reasoning(updates));
        Assert.Equal("9.8 is greater.", merged.Text);
        Assert.Equal(53, merged.Usage?.TotalTokenCount);
    }

    private static IChatClient Compatible(ReplayServer server, string name, string model) =>
        OpenAIClientFactory.CreateChatClient(new OpenAICompatibleOptions { Name = name, Model = model, Endpoint = new Uri(server.BaseAddress, "v1"), MaxRetries = 0 });
}
