using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Recorded;

// Recorded OpenAI-compatible tool-call turns driven through the function-invocation loop: the second request must
// carry the assistant call and the tool result under one id the server accepts.
public sealed class OpenAIRecordedToolLoopTests
{
    // Shape: vLLM (see OpenAICompatibleRecordedTests): id on the first delta, "" on the later ones.
    private const string VllmToolCallStream = """
        data: {"id":"chatcmpl-8c1f0e3a9b7d4f2e","object":"chat.completion.chunk","created":1733150400,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"tool_calls":[{"id":"chatcmpl-tool-c9ZCzB9b9NikK5kjPBXpFG","type":"function","index":0,"function":{"name":"get_current_weather"}}]},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-8c1f0e3a9b7d4f2e","object":"chat.completion.chunk","created":1733150400,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"tool_calls":[{"id":"","type":"function","index":0,"function":{"arguments":"{\"location\": \"Paris\"}"}}]},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-8c1f0e3a9b7d4f2e","object":"chat.completion.chunk","created":1733150400,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"tool_calls","stop_reason":null}]}

        data: [DONE]


        """;

    private const string FinalStream = """
        data: {"id":"chatcmpl-final","object":"chat.completion.chunk","created":1733150401,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":"It is 22 °C in Paris."},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-final","object":"chat.completion.chunk","created":1733150401,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}

        data: [DONE]


        """;

    [Fact]
    public async Task VllmToolLoop_SendsTheFirstDeltaIdBackOnCallAndResult()
    {
        var (call, result) = await RunLoopAsync(VllmToolCallStream);

        Assert.Equal("chatcmpl-tool-c9ZCzB9b9NikK5kjPBXpFG", (string?)call["id"]);
        Assert.Equal("chatcmpl-tool-c9ZCzB9b9NikK5kjPBXpFG", (string?)result["tool_call_id"]);
    }

    private static async Task<(JsonNode Call, JsonNode Result)> RunLoopAsync(string firstTurn)
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(firstTurn), RecordedReply.Sse(FinalStream));
        using var inner = OpenAIClientFactory.CreateChatClient(new OpenAICompatibleOptions { Name = "vLLM", Model = "Qwen/Qwen2.5-7B-Instruct", Endpoint = new Uri(server.BaseAddress, "v1"), MaxRetries = 0 });
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((string location) => "22 °C", "get_current_weather")] };

        var text = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync("Weather in Paris?", options, Guard()))
        {
            text += update.Text;
        }

        Assert.Equal("It is 22 °C in Paris.", text);
        Assert.Equal(2, server.Requests.Count);
        var messages = JsonNode.Parse(server.Requests[1].Body)!["messages"]!.AsArray();
        var call = messages.Single(m => (string?)m!["role"] == "assistant")!["tool_calls"]!.AsArray().Single()!;
        Assert.Equal("get_current_weather", (string?)call["function"]!["name"]);
        Assert.Equal("Paris", (string?)JsonNode.Parse((string)call["function"]!["arguments"]!)!["location"]);
        var result = messages.Single(m => (string?)m!["role"] == "tool")!;
        Assert.Contains("22 °C", result["content"]!.GetValue<string>(), StringComparison.Ordinal);
        return (call, result);
    }
}
