using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Recorded;

// Recorded transcripts the M.E.AI adapter alone mishandles and our layer repairs (recorded-traffic findings O1, O2,
// O4): refusals, delta.reasoning, tool calls streamed without ids.
public sealed class OpenAIRecordedRepairTests
{
    private const string Key = "sk-proj-recorded0123456789abcdef";

    // Shape: a streamed refusal (structured outputs guide: the refusal arrives in delta.refusal, content stays null).
    private const string StreamedRefusal = """
        data: {"id":"chatcmpl-R1","object":"chat.completion.chunk","created":1754925900,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_a288987b44","choices":[{"index":0,"delta":{"role":"assistant","content":null,"refusal":""},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-R1","object":"chat.completion.chunk","created":1754925900,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_a288987b44","choices":[{"index":0,"delta":{"refusal":"I'm sorry, I can't"},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-R1","object":"chat.completion.chunk","created":1754925900,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_a288987b44","choices":[{"index":0,"delta":{"refusal":" assist with that request."},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-R1","object":"chat.completion.chunk","created":1754925900,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_a288987b44","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

        data: [DONE]

        """;

    // Shape: Groq reasoning docs with reasoning_format "parsed" and OpenRouter reasoning tokens docs (and vLLM since
    // it renamed reasoning_content): the thoughts arrive in delta.reasoning.
    private const string ReasoningFieldStream = """
        data: {"id":"chatcmpl-9a8b7c6d","object":"chat.completion.chunk","created":1740000000,"model":"qwen/qwen3-32b","system_fingerprint":"fp_5ee2b1f5b6","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"x_groq":{"id":"req_01jm1a2b3c4d5e6f7g8h9j0k1m"}}

        data: {"id":"chatcmpl-9a8b7c6d","object":"chat.completion.chunk","created":1740000000,"model":"qwen/qwen3-32b","system_fingerprint":"fp_5ee2b1f5b6","choices":[{"index":0,"delta":{"reasoning":"Compare tenths first."},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-9a8b7c6d","object":"chat.completion.chunk","created":1740000000,"model":"qwen/qwen3-32b","system_fingerprint":"fp_5ee2b1f5b6","choices":[{"index":0,"delta":{"content":"9.8"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-9a8b7c6d","object":"chat.completion.chunk","created":1740000000,"model":"qwen/qwen3-32b","system_fingerprint":"fp_5ee2b1f5b6","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"x_groq":{"id":"req_01jm1a2b3c4d5e6f7g8h9j0k1m","usage":{"queue_time":0.05,"prompt_tokens":20,"prompt_time":0.003,"completion_tokens":12,"completion_time":0.03,"total_tokens":32,"total_time":0.033}}}

        data: [DONE]

        """;

    // Shape: structured-outputs guide, a non-streamed refusal: content null, message.refusal set.
    private const string CompletionRefusal = """
        {"id":"chatcmpl-R2","object":"chat.completion","created":1754925950,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I'm sorry, I can't assist with that request.","annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":30,"completion_tokens":10,"total_tokens":40},"service_tier":"default","system_fingerprint":"fp_a288987b44"}
        """;

    [Fact]
    public async Task CompletionRefusal_IsNotLostSilently()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(CompletionRefusal));
        using var client = Client(server);

        var response = await client.GetResponseAsync("hi", cancellationToken: Guard());

        var visible = response.Text + string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<ErrorContent>().Select(e => e.Message));
        Assert.Contains("I'm sorry, I can't assist with that request.", visible, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamedRefusal_IsNotLostSilently()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(StreamedRefusal));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        var visible = merged.Text + string.Concat(updates.SelectMany(u => u.Contents).OfType<ErrorContent>().Select(e => e.Message))
            + string.Concat(updates.Select(u => u.AdditionalProperties?.TryGetValue("refusal", out var r) == true ? r?.ToString() : null));
        Assert.Contains("I'm sorry, I can't assist with that request.", visible, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReasoningFieldStream_AsGroqAndOpenRouterSendIt_YieldsReasoning()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(ReasoningFieldStream));
        using var client = OpenAIClientFactory.CreateChatClient(new GroqOptions { ApiKey = "gsk_recorded0123456789abcdef", Model = "qwen/qwen3-32b", Endpoint = new Uri(server.BaseAddress, "openai/v1"), MaxRetries = 0 });

        var (updates, merged) = await StreamAsync(client);

        Assert.Equal("9.8", merged.Text);
        Assert.Equal("Compare tenths first.", Reasoning(updates));
    }

    // Shape: servers that stream tool calls with no "id" at all (text-generation-webui's and older LM Studio
    // OpenAI extensions; lmdeploy#3412 shows id-less deltas): the client has to make one up.
    private const string NoIdToolCallStream = """
        data: {"id":"chatcmpl-1733150500","object":"chat.completion.chunk","created":1733150500,"model":"local-model","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"type":"function","function":{"name":"get_current_weather","arguments":""}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-1733150500","object":"chat.completion.chunk","created":1733150500,"model":"local-model","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"location\": \"Paris\"}"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-1733150500","object":"chat.completion.chunk","created":1733150500,"model":"local-model","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

        data: [DONE]

        """;

    private const string LoopFinalStream = """
        data: {"id":"chatcmpl-final","object":"chat.completion.chunk","created":1733150401,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":"It is 22 °C in Paris."},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-final","object":"chat.completion.chunk","created":1733150401,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}

        data: [DONE]

        """;

    [Fact]
    public async Task IdlessToolLoop_SendsOneNonEmptyIdOnCallAndResult()
    {
        var (call, result) = await RunLoopAsync(NoIdToolCallStream);

        Assert.False(string.IsNullOrEmpty((string?)call["id"]));
        Assert.Equal((string?)call["id"], (string?)result["tool_call_id"]);
    }

    private static async Task<(JsonNode Call, JsonNode Result)> RunLoopAsync(string firstTurn)
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(firstTurn), RecordedReply.Sse(LoopFinalStream));
        using var inner = OpenAIClientFactory.CreateChatClient(new OpenAICompatibleOptions { Name = "LM Studio", Model = "local-model", Endpoint = new Uri(server.BaseAddress, "v1"), MaxRetries = 0 });
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((string location) => "22 °C", "get_current_weather")] };

        var text = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync("Weather in Paris?", options, Guard()))
        {
            text += update.Text;
        }

        Assert.Equal("It is 22 °C in Paris.", text);
        var messages = JsonNode.Parse(server.Requests[1].Body)!["messages"]!.AsArray();
        var call = messages.Single(m => (string?)m!["role"] == "assistant")!["tool_calls"]!.AsArray().Single()!;
        var result = messages.Single(m => (string?)m!["role"] == "tool")!;
        return (call, result);
    }

    private static IChatClient Client(ReplayServer server, int maxRetries = 0) =>
        OpenAIClientFactory.CreateChatClient(new OpenAIOptions { ApiKey = Key, Model = "gpt-4o-mini", Endpoint = new Uri(server.BaseAddress, "v1"), MaxRetries = maxRetries });
}
