using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using OllamaSharp;
using static AiAllin.SK.Connectors.Ollama.Tests.OllamaTestServer;

namespace AiAllin.SK.Connectors.Ollama.Tests;

public sealed class OllamaEmbeddingGeneratorTests
{
    [Fact]
    public async Task Generate_SendsModelDimensionsTruncateAndKeepAlive()
    {
        await using var server = await StartAsync();
        server.Enqueue(new ScriptedReply { Usage = new ScriptedUsage(6, 0) });
        using var generator = new OllamaEmbeddingGenerator(EmbeddingOptions(server, o => { o.Dimensions = 12; o.Truncate = false; o.KeepAlive = "30s"; }));

        var embeddings = await generator.GenerateAsync(["a", "b"], cancellationToken: Guard());

        var body = server.Requests.Single().Body!;
        Assert.Equal("/api/embed", server.Requests.Single().Path);
        Assert.Equal("nomic-embed-text", body["model"]!.GetValue<string>());
        Assert.Equal(["a", "b"], body["input"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(12, body["dimensions"]!.GetValue<int>());
        Assert.False(body["truncate"]!.GetValue<bool>());
        Assert.Equal("30s", body["keep_alive"]!.GetValue<string>());
        Assert.Equal(DeterministicEmbedding.For("b", 12), embeddings[1].Vector.ToArray());
        Assert.Equal("nomic-embed-text", embeddings[0].ModelId);
        Assert.Equal(6, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Generate_ModelNotFoundWithPullModelIfMissing_PullsAndRetries()
    {
        await using var server = await StartAsync();
        server.Enqueue(OllamaWireServer.ModelNotFound("nomic-embed-text"), new ScriptedReply(), new ScriptedReply());
        using var generator = new OllamaEmbeddingGenerator(EmbeddingOptions(server, o => o.PullModelIfMissing = true));

        var embeddings = await generator.GenerateAsync(["pulled"], cancellationToken: Guard());

        Assert.Equal(DeterministicEmbedding.For("pulled", 8), embeddings[0].Vector.ToArray());
        Assert.Equal(["/api/embed", "/api/pull", "/api/embed"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Generate_ModelNotFoundWithoutPulling_ThrowsProviderException404()
    {
        await using var server = await StartAsync();
        server.Enqueue(OllamaWireServer.ModelNotFound("nomic-embed-text"));
        using var generator = new OllamaEmbeddingGenerator(EmbeddingOptions(server));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x"], cancellationToken: Guard()));

        Assert.Equal(404, (int?)exception.StatusCode);
        Assert.Contains("try pulling it first", exception.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Generate_WhenServerReturnsFewerVectors_Throws()
    {
        await using var server = await StartAsync();
        server.Enqueue(new ScriptedReply { Embeddings = [[1f, 0f]] });
        using var generator = new OllamaEmbeddingGenerator(EmbeddingOptions(server));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x", "y"], cancellationToken: Guard()));

        Assert.Contains("1 vectors for 2 inputs", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_NoInputs_SendsNothing()
    {
        await using var server = await StartAsync();
        using var generator = new OllamaEmbeddingGenerator(EmbeddingOptions(server));

        var embeddings = await generator.GenerateAsync([], cancellationToken: Guard());

        Assert.Empty(embeddings);
        Assert.Empty(server.Requests);
        Assert.NotNull(generator.GetService<OllamaApiClient>());
    }

    private static OllamaEmbeddingOptions EmbeddingOptions(OllamaWireServer server, Action<OllamaEmbeddingOptions>? configure = null)
    {
        var options = new OllamaEmbeddingOptions { Endpoint = server.BaseAddress, Model = "nomic-embed-text", MaxRetries = 0 };
        configure?.Invoke(options);
        return options;
    }
}
