using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Recorded;

// Recorded OpenAI-compatible traffic the M.E.AI adapter and the SDK mishandle: whole completions whose tool calls carry
// no id (older Ollama /v1, some vLLM and llama.cpp builds) and the flat {"object":"error"} event older vLLM writes
// into an open stream.
public sealed class OpenAIRecordedGapFixTests
{
    private const string Key = "sk-proj-recorded0123456789abcdef";

    // Shape: a non-streamed tool call as older Ollama /v1 and some llama.cpp/vLLM builds return it; {0} is what the
    // server wrote for the id: nothing, null or an empty string.
    private const string IdlessToolCallCompletion = """
        {"id":"chatcmpl-457","object":"chat.completion","created":1733150400,"model":"llama3.1","system_fingerprint":"fp_ollama","choices":[{"index":0,"message":{"role":"assistant","content":"","tool_calls":[{ID"type":"function","function":{"name":"get_current_weather","arguments":"{\"location\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":88,"completion_tokens":20,"total_tokens":108}}
        """;

    // Shape: two parallel calls, neither with an id, and no response id either (some llama.cpp builds).
    private const string TwoIdlessCallsNoResponseId = """
        {"object":"chat.completion","created":1733150400,"model":"qwen2.5","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"type":"function","function":{"name":"get_current_weather","arguments":"{\"location\":\"Paris\"}"}},{"type":"function","function":{"name":"get_current_weather","arguments":"{\"location\":\"Oslo\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":90,"completion_tokens":40,"total_tokens":130}}
        """;

    private const string FinalCompletion = """
        {"id":"chatcmpl-458","object":"chat.completion","created":1733150401,"model":"llama3.1","system_fingerprint":"fp_ollama","choices":[{"index":0,"message":{"role":"assistant","content":"It is 22 °C in Paris."},"finish_reason":"stop"}],"usage":{"prompt_tokens":120,"completion_tokens":9,"total_tokens":129}}
        """;

    // Shape: a normal OpenAI tool call completion, pretty-printed with odd spacing so any re-serialization would show.
    private const string CompletionWithIds = "{\n  \"id\" : \"chatcmpl-A1\",\"object\":\"chat.completion\",\"created\":1754925900,\"model\":\"gpt-4o-mini\",\n  \"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_Xy12\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1.50}\"}}]},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n";

    // Shape: vLLM before its OpenAI-style error envelope (and servers copying it) writing a failure into the open stream;
    // the tests append what follows the error line (its blank line and [DONE], or nothing: the connection closes).
    private const string FlatErrorMidStream = """
        data: {"id":"cmpl-7f3a","object":"chat.completion.chunk","created":1733150500,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":"The answer"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"cmpl-7f3a","object":"chat.completion.chunk","created":1733150500,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"content":" is"},"logprobs":null,"finish_reason":null}]}

        data: {"object":"error","message":"MESSAGE","type":"BadRequestError","param":null,"code":400}

        """;

    private const string VllmMessage = "This model's maximum context length is 8192 tokens. However, you requested 8300 tokens.";

    // Shape: ordinary chunks whose text and fields mention "error" without being one.
    private const string ErrorWordsInChunks = """
        data: {"id":"chatcmpl-W1","object":"chat.completion.chunk","created":1754926000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"error"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-W1","object":"chat.completion.chunk","created":1754926000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":" \"error\""},"logprobs":null,"finish_reason":null}],"x_meta":{"object":"error"}}

        data: {"id":"chatcmpl-W1","object":"chat.completion.chunk","created":1754926000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}

        data: [DONE]

        """;

    [Fact]
    public async Task IdlessCallsWithoutAResponseId_InTwoTurns_NeverShareAnId()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(TwoIdlessCallsNoResponseId), RecordedReply.Json(TwoIdlessCallsNoResponseId));
        using var client = Client(server);

        var first = Calls(await client.GetResponseAsync("Weather in Paris and Oslo?", cancellationToken: Guard()));
        var second = Calls(await client.GetResponseAsync("And again?", cancellationToken: Guard()));

        var ids = first.Concat(second).Select(c => c.CallId).ToList();
        Assert.Equal(4, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"id\":null,")]
    [InlineData("\"id\":\"\",")]
    public async Task NonStreamedToolCall_WithoutId_GetsAGeneratedId(string id)
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(IdlessToolCallCompletion.Replace("ID", id, StringComparison.Ordinal)));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Weather in Paris?", cancellationToken: Guard());

        var call = Assert.Single(Calls(response));
        Assert.Equal("call_chatcmpl-457_0", call.CallId);
        Assert.Equal("get_current_weather", call.Name);
        Assert.Equal("Paris", Argument(call, "location"));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("chatcmpl-457", response.ResponseId);
        Assert.Equal(108, response.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task NonStreamedParallelCalls_WithoutIds_GetDistinctIdsInOrder()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(TwoIdlessCallsNoResponseId));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Weather in Paris and Oslo?", cancellationToken: Guard());

        var calls = Calls(response);
        Assert.Equal(2, calls.Count);
        Assert.Equal(["Paris", "Oslo"], calls.Select(c => Argument(c, "location")));
        Assert.All(calls, c => Assert.False(string.IsNullOrEmpty(c.CallId)));
        Assert.NotEqual(calls[0].CallId, calls[1].CallId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"id\":null,")]
    [InlineData("\"id\":\"\",")]
    public async Task NonStreamedToolLoop_WithoutId_SendsTheGeneratedIdBackAndGetsTheAnswer(string id)
    {
        await using var server = ReplayServer.Start(
            RecordedReply.Json(IdlessToolCallCompletion.Replace("ID", id, StringComparison.Ordinal)),
            RecordedReply.Json(FinalCompletion));
        using var inner = Client(server);
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
        var invoked = new List<string>();
        var options = new ChatOptions
        {
            Tools = [AIFunctionFactory.Create((string location) => { invoked.Add(location); return "22 °C"; }, "get_current_weather")],
        };

        var response = await client.GetResponseAsync("Weather in Paris?", options, Guard());

        Assert.Equal("It is 22 °C in Paris.", response.Text);
        Assert.Equal(["Paris"], invoked);
        Assert.Equal(2, server.Requests.Count);
        var messages = JsonNode.Parse(server.Requests[1].Body)!["messages"]!.AsArray();
        var call = messages.Single(m => (string?)m!["role"] == "assistant")!["tool_calls"]!.AsArray().Single()!;
        var result = messages.Single(m => (string?)m!["role"] == "tool")!;
        Assert.Equal("call_chatcmpl-457_0", (string?)call["id"]);
        Assert.Equal("get_current_weather", (string?)call["function"]!["name"]);
        Assert.Equal("call_chatcmpl-457_0", (string?)result["tool_call_id"]);
        Assert.Contains("22 °C", (string?)result["content"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonStreamedCompletionWithIds_PassesThroughByteForByte()
    {
        var original = Encoding.UTF8.GetBytes(CompletionWithIds);

        var received = await SendThroughGuardAsync(original, "/v1/chat/completions");

        Assert.Equal(original, received);
    }

    [Fact]
    public async Task NonStreamedCompletionWithoutIds_IsRewrittenOnlyInTheIds()
    {
        var original = IdlessToolCallCompletion.Replace("ID", "\"id\":null,", StringComparison.Ordinal);

        var received = await SendThroughGuardAsync(Encoding.UTF8.GetBytes(original), "/v1/chat/completions");

        var expected = JsonNode.Parse(original)!;
        expected["choices"]![0]!["message"]!["tool_calls"]![0]!["id"] = "call_chatcmpl-457_0";
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(received)), Encoding.UTF8.GetString(received));
    }

    [Fact]
    public async Task OtherEndpoints_AreNotRewritten()
    {
        var original = Encoding.UTF8.GetBytes(IdlessToolCallCompletion.Replace("ID", string.Empty, StringComparison.Ordinal));

        var received = await SendThroughGuardAsync(original, "/v1/responses");

        Assert.Equal(original, received);
    }

    [Theory]
    [InlineData("\ndata: [DONE]\n\n")]
    [InlineData("")]
    public async Task FlatErrorObjectMidStream_DeliversTheTextThenThrowsWithMessageAndCode(string ending)
    {
        var body = FlatErrorMidStream.Replace("MESSAGE", VllmMessage, StringComparison.Ordinal) + ending;
        await using var server = ReplayServer.Start(RecordedReply.Sse(body));
        using var client = Client(server);

        var received = new List<string>();
        var ex = await Assert.ThrowsAnyAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Guard()))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal("The answer is", string.Concat(received));
        Assert.Equal(VllmMessage, ex.ProviderMessage);
        Assert.Contains(VllmMessage, ex.Message, StringComparison.Ordinal);
        Assert.Equal("400", ex.ErrorCode);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlatErrorObjectMidStream_EchoingTheKey_NeverShowsIt()
    {
        var body = FlatErrorMidStream.Replace("MESSAGE", $"Invalid token {Key} for this deployment", StringComparison.Ordinal);
        await using var server = ReplayServer.Start(RecordedReply.Sse(body));
        using var client = Client(server);

        var ex = await Assert.ThrowsAnyAsync<ProviderException>(() => StreamAsync(client));

        Assert.Contains("for this deployment", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.ProviderMessage ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunksMentioningError_AreNotMistakenForOne()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(ErrorWordsInChunks));
        using var client = Client(server);

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("error \"error\"", merged.Text);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
    }

    private static async Task<byte[]> SendThroughGuardAsync(byte[] body, string path)
    {
        using var handler = new OpenAIResponseGuardHandler("OpenAI", Key, NullLogger.Instance) { InnerHandler = new FixedReplyHandler(body) };
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://localhost" + path));
        using var response = await invoker.SendAsync(request, Guard());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var received = await response.Content.ReadAsByteArrayAsync(Guard());
        Assert.Equal(received.Length, response.Content.Headers.ContentLength);
        return received;
    }

    private static IChatClient Client(ReplayServer server) =>
        OpenAIClientFactory.CreateChatClient(new OpenAIOptions { ApiKey = Key, Model = "gpt-4o-mini", Endpoint = new Uri(server.BaseAddress, "v1"), MaxRetries = 0 });

    private sealed class FixedReplyHandler(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json", "utf-8");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
