using System.Net;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Recorded;

// What sits in front of real servers answers too: gateway HTML pages, and local servers' null detail objects.
public sealed class OpenAIRecordedProxyTests
{
    // Shape: Cloudflare's 502 page in front of api.openai.com / self-hosted servers (HTML, not JSON).
    private const string CloudflareBadGateway = """
        <html>
        <head><title>502 Bad Gateway</title></head>
        <body>
        <center><h1>502 Bad Gateway</h1></center>
        <hr><center>cloudflare</center>
        </body>
        </html>
        """;

    // Shape: LM Studio / vLLM answers: null detail objects, null logprobs, usage on the finish chunk.
    private const string NullDetailsStream = """
        data: {"id":"chatcmpl-lms1","object":"chat.completion.chunk","created":1733150600,"model":"qwen2.5-7b-instruct","system_fingerprint":"qwen2.5-7b-instruct","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"logprobs":null,"finish_reason":null}]}

        data: {"id":"chatcmpl-lms1","object":"chat.completion.chunk","created":1733150600,"model":"qwen2.5-7b-instruct","system_fingerprint":"qwen2.5-7b-instruct","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10,"prompt_tokens_details":null,"completion_tokens_details":null}}

        data: [DONE]


        """;

    [Fact]
    public async Task CloudflareBadGateway502_IsATransientProviderException()
    {
        await using var server = ReplayServer.Start(new RecordedReply(502, CloudflareBadGateway, "text/html") { Headers = new Dictionary<string, string> { ["cf-ray"] = "8e1f2a3b4c5d6e7f-FRA", ["server"] = "cloudflare" } });
        using var client = OpenAIClientFactory.CreateChatClient(new OpenAIOptions { ApiKey = "sk-proj-recorded0123456789abcdef", Model = "gpt-4o-mini", Endpoint = new Uri(server.BaseAddress, "v1"), MaxRetries = 0 });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.DoesNotContain("sk-proj-recorded0123456789abcdef", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NullDetailsStream_YieldsTextAndUsage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(NullDetailsStream));
        using var client = OpenAIClientFactory.CreateChatClient(new OpenAICompatibleOptions { Name = "LM Studio", Model = "qwen2.5-7b-instruct", Endpoint = new Uri(server.BaseAddress, "v1"), MaxRetries = 0 });

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("Hi", merged.Text);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal(10, merged.Usage?.TotalTokenCount);
    }
}
