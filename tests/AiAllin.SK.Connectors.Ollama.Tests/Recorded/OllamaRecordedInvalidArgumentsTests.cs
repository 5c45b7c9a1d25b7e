using AiAllin.SK.Testing.Providers.Recorded;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Ollama.Tests.Recorded;

/// <summary>
/// A recorded tool-call line whose arguments are a string that is not JSON (as OpenAI-style servers behind an Ollama
/// route send them): through the kernel the plugin function never runs with empty arguments, and the model gets the
/// tool loop's error result for that call.
/// </summary>
public sealed class OllamaRecordedInvalidArgumentsTests
{
    // Shape: OllamaRecordedTests.ThinkingToolCallStream with the arguments sent as an unparsable string.
    private const string BadToolCallStream = """
        {"model":"qwen3","created_at":"2025-05-27T22:54:58.100509Z","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_badargs1","function":{"index":0,"name":"Weather_Get","arguments":"{\"city\": Bratislava"}}]},"done":false}
        {"model":"qwen3","created_at":"2025-05-27T22:54:58.200187Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":2345678901,"load_duration":21567800,"prompt_eval_count":212,"prompt_eval_duration":88543000,"eval_count":57,"eval_duration":2112345000}

        """;

    private const string FinalStream = """
        {"model":"qwen3","created_at":"2025-05-27T22:54:59.100509Z","message":{"role":"assistant","content":"Neviem."},"done":false}
        {"model":"qwen3","created_at":"2025-05-27T22:54:59.200187Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","eval_count":3}

        """;

    [Fact]
    public async Task ThroughTheKernel_NeverRunsThePluginAndTheModelGetsAnError()
    {
        await using var server = ReplayServer.Start(RecordedReply.Ndjson(BadToolCallStream, chunkSize: 17), RecordedReply.Ndjson(FinalStream));
        var builder = Kernel.CreateBuilder();
        builder.AddOllamaChatClient(o =>
        {
            o.Endpoint = server.BaseAddress;
            o.Model = "qwen3";
            o.MaxRetries = 0;
        });
        var (text, cities) = await InvalidToolArgumentsRun.StreamAsync(builder);

        Assert.Empty(cities);
        Assert.Equal("Neviem.", text);
        Assert.Contains("call_badargs1", server.Requests[1].Body, StringComparison.Ordinal);
        Assert.Contains(InvalidToolArgumentsRun.ErrorResult, server.Requests[1].Body, StringComparison.Ordinal);
    }
}
