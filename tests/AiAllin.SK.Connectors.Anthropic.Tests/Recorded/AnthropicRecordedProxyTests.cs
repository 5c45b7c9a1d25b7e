using System.Net;
using AiAllin.SK.Connectors.Core;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.Anthropic.Tests.Recorded;

// What sits in front of api.anthropic.com answers too: Cloudflare's HTML error pages.
public sealed class AnthropicRecordedProxyTests
{
    // Shape: Cloudflare 520/502 pages seen in front of api.anthropic.com during incidents (HTML, not JSON).
    private const string CloudflareBadGateway = """
        <html>
        <head><title>502 Bad Gateway</title></head>
        <body>
        <center><h1>502 Bad Gateway</h1></center>
        <hr><center>cloudflare</center>
        </body>
        </html>
        """;

    [Fact]
    public async Task CloudflareBadGateway502_IsATransientProviderException()
    {
        await using var server = ReplayServer.Start(new RecordedReply(502, CloudflareBadGateway, "text/html") { Headers = new Dictionary<string, string> { ["cf-ray"] = "8e1f2a3b4c5d6e7f-FRA", ["server"] = "cloudflare" } });
        using var client = new AnthropicChatClient(new AnthropicOptions { ApiKey = "sk-ant-api03-recorded0123456789abcdef", Model = "claude-sonnet-4-5-20250929", Endpoint = server.BaseAddress, MaxRetries = 0 });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.DoesNotContain("sk-ant-api03-recorded0123456789abcdef", ex.ToString(), StringComparison.Ordinal);
    }
}
