using System.Net;
using System.Text.Json.Nodes;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.Ollama.Tests.Recorded;

// Recorded Ollama turns driven through the function-invocation loop, plus server failures seen in real use.
public sealed class OllamaRecordedToolLoopTests
{
    // Shape: ollama.com/blog/streaming-tool with the current server's id on the call.
    private const string ToolCallStream = """
        {"model":"qwen3","created_at":"2025-05-27T22:54:58.100509Z","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_vr7bvq1e","function":{"index":0,"name":"get_current_weather","arguments":{"location":"Toronto"}}}]},"done":false}
        {"model":"qwen3","created_at":"2025-05-27T22:54:58.200187Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":2345678901,"load_duration":21567800,"prompt_eval_count":212,"prompt_eval_duration":88543000,"eval_count":57,"eval_duration":2112345000}

        """;

    // Shape: the same without an id (Ollama before tool-call ids).
    private const string ToolCallWithoutIdStream = """
        {"model":"qwen3","created_at":"2025-05-27T22:54:58.100509Z","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_current_weather","arguments":{"location":"Toronto"}}}]},"done":false}
        {"model":"qwen3","created_at":"2025-05-27T22:54:58.200187Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":2345678901,"load_duration":21567800,"prompt_eval_count":212,"prompt_eval_duration":88543000,"eval_count":57,"eval_duration":2112345000}

        """;

    private const string FinalStream = """
        {"model":"qwen3","created_at":"2025-05-27T22:55:00.000000001Z","message":{"role":"assistant","content":"It is 18 °C in Toronto."},"done":false}
        {"model":"qwen3","created_at":"2025-05-27T22:55:00.100000001Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":345678901,"load_duration":1567800,"prompt_eval_count":260,"prompt_eval_duration":18543000,"eval_count":12,"eval_duration":312345000}

        """;

    // Shape: ollama/ollama issues, the runner dying under memory pressure: HTTP 500 with Ollama's error body.
    private const string RunnerTerminated500 = """
        {"error":"llama runner process has terminated: exit status 2"}
        """;

    // Shape: /api/embed with an input over the model's context (truncate: false).
    private const string InputTooLong400 = """
        {"error":"the input length exceeds the context length"}
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ToolLoop_SendsTheCallAndItsResultBackWithTheSameId(bool serverSendsId)
    {
        await using var server = ReplayServer.Start(RecordedReply.Ndjson(serverSendsId ? ToolCallStream : ToolCallWithoutIdStream), RecordedReply.Ndjson(FinalStream));
        using var inner = new OllamaChatClient(new OllamaOptions { Endpoint = server.BaseAddress, Model = "qwen3", MaxRetries = 0 });
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((string location) => "18 °C", "get_current_weather")] };

        var text = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync("Weather in Toronto?", options, Guard()))
        {
            text += update.Text;
        }

        Assert.Equal("It is 18 °C in Toronto.", text);
        Assert.Equal(2, server.Requests.Count);
        var messages = JsonNode.Parse(server.Requests[1].Body)!["messages"]!.AsArray();
        var assistant = messages.Single(m => (string?)m!["role"] == "assistant")!;
        var call = assistant["tool_calls"]!.AsArray().Single()!;
        Assert.Equal("get_current_weather", (string?)call["function"]!["name"]);
        Assert.Equal("Toronto", (string?)call["function"]!["arguments"]!["location"]);
        var tool = messages.Single(m => (string?)m!["role"] == "tool")!;
        Assert.Equal("get_current_weather", (string?)tool["tool_name"]);
        Assert.Contains("18 °C", (string?)tool["content"], StringComparison.Ordinal);
        if (serverSendsId)
        {
            Assert.Equal("call_vr7bvq1e", (string?)call["id"]);
            Assert.Equal("call_vr7bvq1e", (string?)tool["tool_call_id"]);
        }
    }

    [Fact]
    public async Task RunnerTerminated500_ThenSuccess_IsRetried()
    {
        await using var server = ReplayServer.Start(new RecordedReply(500, RunnerTerminated500), RecordedReply.Ndjson(FinalStream));
        using var client = new OllamaChatClient(new OllamaOptions { Endpoint = server.BaseAddress, Model = "qwen3", MaxRetries = 2 });

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("It is 18 °C in Toronto.", merged.Text);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task RunnerTerminated500_WithoutRetries_IsATransientProviderException()
    {
        await using var server = ReplayServer.Start(new RecordedReply(500, RunnerTerminated500));
        using var client = new OllamaChatClient(new OllamaOptions { Endpoint = server.BaseAddress, Model = "qwen3", MaxRetries = 0 });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Contains("llama runner process has terminated", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task EmbedInputTooLong400_IsANonTransientProviderException()
    {
        await using var server = ReplayServer.Start(new RecordedReply(400, InputTooLong400));
        using var generator = new OllamaEmbeddingGenerator(new OllamaEmbeddingOptions { Endpoint = server.BaseAddress, Model = "all-minilm", MaxRetries = 0 });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["very long"], cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains("exceeds the context length", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }
}
