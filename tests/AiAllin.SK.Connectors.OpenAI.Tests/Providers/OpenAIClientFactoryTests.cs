using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Providers;

/// <summary>The factory leaves what the caller passed in alone: its handler is not disposed, its options are not changed.</summary>
public sealed class OpenAIClientFactoryTests
{
    private const string Key = "sk-proj-factory0123456789abcdef";

    [Fact]
    public async Task DisposingTheClient_LeavesTheCallersHandlerUsable()
    {
        using var handler = new CountingHandler();
        var options = new OpenAIOptions { ApiKey = Key, Model = "gpt-4o-mini", MaxRetries = 0 };

        using (var client = OpenAIClientFactory.CreateChatClient(options, loggerFactory: null, handler))
        {
            Assert.Equal("ok", (await client.GetResponseAsync("hi")).Text);
        }

        using (var generator = OpenAIClientFactory.CreateEmbeddingGenerator(options, loggerFactory: null, handler))
        {
            Assert.NotNull(generator);
        }

        Assert.False(handler.Disposed);
        using var second = OpenAIClientFactory.CreateChatClient(options, loggerFactory: null, handler);
        Assert.Equal("ok", (await second.GetResponseAsync("again")).Text);
        Assert.Equal(2, handler.Requests);
    }

    [Fact]
    public void CreatingClients_NeverChangesTheCallersOptions()
    {
        var options = new OpenAIOptions { ApiKey = Key, EmbeddingModel = "text-embedding-3-large" };
        var before = options.ToString();

        using (OpenAIClientFactory.CreateEmbeddingGenerator(options))
        {
        }

        // Without a chat model the same options still fail for a chat client: creating the generator did not mark
        // them as embedding options.
        var exception = Assert.Throws<InvalidOperationException>(() => OpenAIClientFactory.CreateChatClient(options));
        Assert.Contains("AiAllin:OpenAI:Model", exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, options.ToString());

        options.Model = "gpt-4o-mini";
        using (OpenAIClientFactory.CreateChatClient(options))
        {
        }

        Assert.Equal("gpt-4o-mini", options.Model);
        Assert.Null(options.MaxTokens);
        Assert.Null(options.Temperature);
        Assert.Null(options.Endpoint);
    }

    // Answers every request with one chat completion and records whether it was disposed.
    private sealed class CountingHandler : HttpMessageHandler
    {
        public int Requests { get; private set; }

        public bool Disposed { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(Disposed, this);
            Requests++;
            const string body = """{"id":"chatcmpl-F1","object":"chat.completion","created":1725000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";
            var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
