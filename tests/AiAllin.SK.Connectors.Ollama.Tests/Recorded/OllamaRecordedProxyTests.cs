using System.Net;
using AiAllin.SK.Connectors.Core;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.Ollama.Tests.Recorded;

// Ollama is often reached through nginx or a similar reverse proxy, whose error pages are HTML.
public sealed class OllamaRecordedProxyTests
{
    // Shape: nginx's default 502 page when the Ollama upstream is down.
    private const string NginxBadGateway = """
        <html>
        <head><title>502 Bad Gateway</title></head>
        <body>
        <center><h1>502 Bad Gateway</h1></center>
        <hr><center>nginx/1.24.0 (Ubuntu)</center>
        </body>
        </html>
        """;

    [Fact]
    public async Task NginxBadGateway502_IsATransientProviderException()
    {
        await using var server = ReplayServer.Start(new RecordedReply(502, NginxBadGateway, "text/html"));
        using var client = new OllamaChatClient(new OllamaOptions { Endpoint = server.BaseAddress, Model = "llama3.2", MaxRetries = 0 });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task NginxBadGateway502_ForEmbeddings_IsATransientProviderException()
    {
        await using var server = ReplayServer.Start(new RecordedReply(502, NginxBadGateway, "text/html"));
        using var generator = new OllamaEmbeddingGenerator(new OllamaEmbeddingOptions { Endpoint = server.BaseAddress, Model = "all-minilm", MaxRetries = 0 });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x"], cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.True(ex.IsTransient);
    }
}
