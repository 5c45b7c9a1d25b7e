using System.Net;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.Ollama.Tests.Recorded;

// Transcripts of a real Ollama server as its API docs, blog and issues show them, trimmed to what matters; kept:
// created_at with nanoseconds and a local offset, done_reason, the *_duration timings, thinking, tool calls with and
// without id/index, Ollama's plain-string error bodies and an in-stream {"error": ...} line.
public sealed class OllamaRecordedTests
{
    // Shape: ollama/ollama docs/api.md "Chat request (streaming)": one JSON object per line, content pieces, a final
    // line with done_reason and the timings (nanoseconds).
    private const string TextStream = """
        {"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":"The"},"done":false}
        {"model":"llama3.2","created_at":"2023-08-04T08:52:19.419874231-07:00","message":{"role":"assistant","content":" sky"},"done":false}
        {"model":"llama3.2","created_at":"2023-08-04T08:52:19.452132564-07:00","message":{"role":"assistant","content":" is blue — mostly."},"done":false}
        {"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000}

        """;

    // Shape: ollama.com/blog/streaming-tool (qwen3, May 2025) with the current server's additions: thinking lines
    // (think: true), then a line carrying the whole tool call with "id" and function.index, then done_reason "stop".
    private const string ThinkingToolCallStream = """
        {"model":"qwen3","created_at":"2025-05-27T22:54:57.641643Z","message":{"role":"assistant","content":"","thinking":"The user asks about Toronto weather."},"done":false}
        {"model":"qwen3","created_at":"2025-05-27T22:54:57.673559Z","message":{"role":"assistant","content":"","thinking":" I should call the tool."},"done":false}
        {"model":"qwen3","created_at":"2025-05-27T22:54:58.100509Z","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_vr7bvq1e","function":{"index":0,"name":"get_current_weather","arguments":{"format":"celsius","location":"Toronto"}}}]},"done":false}
        {"model":"qwen3","created_at":"2025-05-27T22:54:58.200187Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":2345678901,"load_duration":21567800,"prompt_eval_count":212,"prompt_eval_duration":88543000,"eval_count":57,"eval_duration":2112345000}

        """;

    // Shape: ollama/ollama#12557 (Ollama 0.12.3): tool calls without id or index, two in one line, then an empty
    // "done" line with done_reason "stop".
    private const string ToolCallsWithoutIdsStream = """
        {"model":"qwen3-coder:30b-a3b-q8_0","created_at":"2025-10-10T09:12:01.512345678Z","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"calculate","arguments":{"expression":"2 + 2"}}},{"function":{"name":"calculate","arguments":{"expression":"3 * 3"}}}]},"done":false}
        {"model":"qwen3-coder:30b-a3b-q8_0","created_at":"2025-10-10T09:12:01.601234567Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":912345678,"load_duration":12345678,"prompt_eval_count":120,"prompt_eval_duration":45678901,"eval_count":40,"eval_duration":812345678}

        """;

    // Shape: ollama/ollama docs/api.md "Chat request (No streaming)".
    private const string ChatResponse = """
        {
          "model": "llama3.2",
          "created_at": "2023-12-12T14:13:43.416799Z",
          "message": {
            "role": "assistant",
            "content": "Hello! How are you today?"
          },
          "done": true,
          "done_reason": "stop",
          "total_duration": 5191566416,
          "load_duration": 2154458,
          "prompt_eval_count": 26,
          "prompt_eval_duration": 383809000,
          "eval_count": 298,
          "eval_duration": 4799921000
        }
        """;

    // Shape: ollama/ollama docs/api.md "Chat request (with tools)", non-streaming, without ids (older servers).
    private const string ChatToolCallResponse = """
        {
          "model": "llama3.2",
          "created_at": "2024-07-22T20:33:28.123648Z",
          "message": {
            "role": "assistant",
            "content": "",
            "tool_calls": [
              {
                "function": {
                  "name": "get_current_weather",
                  "arguments": {
                    "format": "celsius",
                    "location": "Paris, FR"
                  }
                }
              }
            ]
          },
          "done_reason": "stop",
          "done": true,
          "total_duration": 885095291,
          "load_duration": 3753500,
          "prompt_eval_count": 122,
          "prompt_eval_duration": 328493000,
          "eval_count": 33,
          "eval_duration": 551286000
        }
        """;

    // Shape: a response cut by num_predict: done_reason "length".
    private const string LengthStream = """
        {"model":"llama3.2","created_at":"2025-01-10T10:00:00.000000001Z","message":{"role":"assistant","content":"Once upon"},"done":false}
        {"model":"llama3.2","created_at":"2025-01-10T10:00:00.100000001Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"length","total_duration":100000000,"load_duration":1000000,"prompt_eval_count":10,"prompt_eval_duration":5000000,"eval_count":2,"eval_duration":90000000}

        """;

    // Shape: a runner crash mid-generation: HTTP 200 already sent, then Ollama writes an {"error": ...} line.
    private const string ErrorLineMidStream = """
        {"model":"llama3.2","created_at":"2025-01-10T10:00:00.000000001Z","message":{"role":"assistant","content":"Partial"},"done":false}
        {"error":"an error was encountered while running the model: unexpected EOF"}

        """;

    // Shape: Ollama's error body is {"error": "<text>"}: 404 for a model that is not pulled, 400 for think on a model
    // that cannot think.
    private const string ModelNotFound404 = """
        {"error":"model \"llama3.2\" not found, try pulling it first"}
        """;

    private const string ThinkUnsupported400 = """
        {"error":"\"gemma3:4b\" does not support thinking"}
        """;

    // Shape: ollama/ollama docs/api.md "Pull a Model" streamed statuses.
    private const string PullStream = """
        {"status":"pulling manifest"}
        {"status":"pulling dde5aa3fc5ff","digest":"sha256:dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff","total":2019377376,"completed":241970}
        {"status":"pulling dde5aa3fc5ff","digest":"sha256:dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff","total":2019377376,"completed":2019377376}
        {"status":"verifying sha256 digest"}
        {"status":"writing manifest"}
        {"status":"success"}

        """;

    // Shape: ollama/ollama docs/api.md "Generate Embeddings" (/api/embed), two inputs.
    private const string EmbedResponse = """
        {
          "model": "all-minilm",
          "embeddings": [[0.010071029, -0.0017594862, 0.05007221], [-0.0098027075, 0.06042469, 0.025257962]],
          "total_duration": 14143917,
          "load_duration": 1019500,
          "prompt_eval_count": 8
        }
        """;

    [Fact]
    public async Task TextStream_FromTheApiDocs_YieldsTextStopUsageAndModel()
    {
        await using var server = ReplayServer.Start(RecordedReply.Ndjson(TextStream));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        Assert.Equal("The sky is blue — mostly.", merged.Text);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal(26, merged.Usage?.InputTokenCount);
        Assert.Equal(282, merged.Usage?.OutputTokenCount);
        Assert.Equal("llama3.2", merged.ModelId);
        Assert.True(updates.Count >= 4);
        Assert.Equal(new DateTimeOffset(2023, 8, 4, 8, 52, 19, TimeSpan.FromHours(-7)).AddTicks(3854064), updates[0].CreatedAt);
    }

    [Fact]
    public async Task TextStream_CutAtOddByteBoundaries_YieldsTheSameText()
    {
        await using var server = ReplayServer.Start(RecordedReply.Ndjson(TextStream, chunkSize: 9));
        using var client = Client(server);

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("The sky is blue — mostly.", merged.Text);
        Assert.Equal(282, merged.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task ThinkingToolCallStream_YieldsReasoningAndTheCallWithItsId()
    {
        await using var server = ReplayServer.Start(RecordedReply.Ndjson(ThinkingToolCallStream));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        Assert.Equal("The user asks about Toronto weather. I should call the tool.", Reasoning(updates));
        var call = Assert.Single(Calls(updates));
        Assert.Equal("call_vr7bvq1e", call.CallId);
        Assert.Equal("get_current_weather", call.Name);
        Assert.Equal("Toronto", Argument(call, "location"));
        Assert.Equal("celsius", Argument(call, "format"));
        Assert.Equal(ChatFinishReason.ToolCalls, merged.FinishReason);
        Assert.Equal(57, merged.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task ToolCallsWithoutIds_YieldTwoCallsWithDistinctIds()
    {
        await using var server = ReplayServer.Start(RecordedReply.Ndjson(ToolCallsWithoutIdsStream));
        using var client = Client(server);

        var (updates, merged) = await StreamAsync(client);

        var calls = Calls(updates);
        Assert.Equal(2, calls.Count);
        Assert.False(string.IsNullOrEmpty(calls[0].CallId));
        Assert.NotEqual(calls[0].CallId, calls[1].CallId);
        Assert.Equal("2 + 2", Argument(calls[0], "expression"));
        Assert.Equal("3 * 3", Argument(calls[1], "expression"));
        Assert.Equal(ChatFinishReason.ToolCalls, merged.FinishReason);
    }

    [Fact]
    public async Task ChatResponse_FromTheApiDocs_YieldsTextUsageAndTimings()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(ChatResponse));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Hello", cancellationToken: Guard());

        Assert.Equal("Hello! How are you today?", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(26, response.Usage?.InputTokenCount);
        Assert.Equal(298, response.Usage?.OutputTokenCount);
        Assert.Equal("llama3.2", response.ModelId);
        Assert.NotNull(response.RawRepresentation);
        Assert.Equal(TimeSpan.FromTicks(51915664), response.AdditionalProperties?["total_duration"]);
    }

    [Fact]
    public async Task ChatToolCallResponse_WithoutId_YieldsTheParsedCall()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(ChatToolCallResponse));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Weather in Paris?", cancellationToken: Guard());

        var call = Assert.Single(Calls(response));
        Assert.False(string.IsNullOrEmpty(call.CallId));
        Assert.Equal("get_current_weather", call.Name);
        Assert.Equal("Paris, FR", Argument(call, "location"));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task LengthStream_ReportsLength()
    {
        await using var server = ReplayServer.Start(RecordedReply.Ndjson(LengthStream));
        using var client = Client(server);

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("Once upon", merged.Text);
        Assert.Equal(ChatFinishReason.Length, merged.FinishReason);
    }

    [Fact]
    public async Task ErrorLineMidStream_DeliversTheTextThenThrowsWithTheServerMessage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Ndjson(ErrorLineMidStream));
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
        Assert.Contains("unexpected EOF", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelNotFound404_IsAProviderExceptionWithTheMessage()
    {
        await using var server = ReplayServer.Start(new RecordedReply(404, ModelNotFound404));
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Contains("not found, try pulling it first", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task ModelNotFound404_WithPullEnabled_PullsThenAnswers()
    {
        await using var server = ReplayServer.Start(new RecordedReply(404, ModelNotFound404), RecordedReply.Ndjson(PullStream), RecordedReply.Json(ChatResponse));
        using var client = new OllamaChatClient(new OllamaOptions { Endpoint = server.BaseAddress, Model = "llama3.2", MaxRetries = 0, PullModelIfMissing = true });

        var response = await client.GetResponseAsync("Hello", cancellationToken: Guard());

        Assert.Equal("Hello! How are you today?", response.Text);
        Assert.Equal(["/api/chat", "/api/pull", "/api/chat"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task ThinkUnsupported400_IsANonTransientProviderException()
    {
        await using var server = ReplayServer.Start(new RecordedReply(400, ThinkUnsupported400));
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains("does not support thinking", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task EmbedResponse_FromTheApiDocs_YieldsVectorsInOrderWithUsage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(EmbedResponse));
        using var generator = new OllamaEmbeddingGenerator(new OllamaEmbeddingOptions { Endpoint = server.BaseAddress, Model = "all-minilm", MaxRetries = 0 });

        var embeddings = await generator.GenerateAsync(["Why is the sky blue?", "Why is the grass green?"], cancellationToken: Guard());

        Assert.Equal(2, embeddings.Count);
        Assert.Equal([0.010071029f, -0.0017594862f, 0.05007221f], embeddings[0].Vector.ToArray());
        Assert.Equal([-0.0098027075f, 0.06042469f, 0.025257962f], embeddings[1].Vector.ToArray());
        Assert.Equal(8, embeddings.Usage?.InputTokenCount);
        Assert.Equal("/api/embed", Assert.Single(server.Requests).Path);
    }

    private static OllamaChatClient Client(ReplayServer server) =>
        new(new OllamaOptions { Endpoint = server.BaseAddress, Model = "llama3.2", MaxRetries = 0 });
}
