using AiAllin.SK.Testing.Providers;
using AiAllin.SK.Testing.Providers.Recorded;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Gemini.Tests;

public sealed class GeminiEmbeddingGeneratorTests : IAsyncLifetime
{
    private const string Key = "AIzaSyEmbed-0123456789abcdefghijklmno";
    private GeminiWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<GeminiWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Generate_SplitsIntoBatchesOfTheApiLimit_InOrder_WithTaskTypeAndDimensions()
    {
        _server.Enqueue(new ScriptedReply(), new ScriptedReply(), new ScriptedReply());
        using var generator = Generator(o => { o.TaskType = "RETRIEVAL_DOCUMENT"; o.Dimensions = 12; });
        var inputs = Enumerable.Range(0, 250).Select(i => $"doc {i}").ToArray();

        var embeddings = await generator.GenerateAsync(inputs);

        Assert.Equal(250, embeddings.Count);
        Assert.Equal(DeterministicEmbedding.For("doc 137", 12), embeddings[137].Vector.ToArray());
        Assert.Equal([100, 100, 50], _server.Requests.Select(r => r.Body!["requests"]!.AsArray().Count));
        Assert.All(_server.Requests, r =>
        {
            Assert.Equal("/v1beta/models/gemini-embedding-001:batchEmbedContents", r.Path);
            var first = r.Body!["requests"]![0]!;
            Assert.Equal("models/gemini-embedding-001", first["model"]!.GetValue<string>());
            Assert.Equal("RETRIEVAL_DOCUMENT", first["taskType"]!.GetValue<string>());
            Assert.Equal(12, first["outputDimensionality"]!.GetValue<int>());
            Assert.Equal(Key, r.Header("x-goog-api-key"));
        });
    }

    [Fact]
    public async Task Generate_OneInput_UsesEmbedContent_AndCallOptionsWin()
    {
        _server.Enqueue(new ScriptedReply());
        using var generator = Generator(o => o.TaskType = "RETRIEVAL_DOCUMENT");

        var embeddings = await generator.GenerateAsync(
            ["what is pgvector?"],
            new EmbeddingGenerationOptions { Dimensions = 4, AdditionalProperties = new() { ["taskType"] = "RETRIEVAL_QUERY", ["title"] = "FAQ" } });

        Assert.Equal(DeterministicEmbedding.For("what is pgvector?", 4), embeddings[0].Vector.ToArray());
        var request = _server.Requests.Single();
        Assert.Equal("/v1beta/models/gemini-embedding-001:embedContent", request.Path);
        Assert.Equal("RETRIEVAL_QUERY", request.Body!["taskType"]!.GetValue<string>());
        Assert.Equal("FAQ", request.Body!["title"]!.GetValue<string>());
        Assert.Equal("what is pgvector?", request.Body!["content"]!["parts"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_WhenAVectorIsMissing_FailsInsteadOfMisaligning()
    {
        await using var replay = ReplayServer.Start(RecordedReply.Json("""{"embeddings": [{"values": [1, 2]}]}"""));
        using var generator = new GeminiEmbeddingGenerator(new GeminiEmbeddingOptions { Endpoint = replay.BaseAddress, ApiKey = Key, Model = "gemini-embedding-001" });

        var exception = await Assert.ThrowsAsync<AiAllin.SK.Connectors.Core.ProviderException>(() => generator.GenerateAsync(["a", "b"]));

        Assert.Contains("1 vectors for 2 inputs", exception.Message, StringComparison.Ordinal);
    }

    private GeminiEmbeddingGenerator Generator(Action<GeminiEmbeddingOptions> configure)
    {
        var options = new GeminiEmbeddingOptions { Endpoint = _server.BaseAddress, ApiKey = Key, Model = "gemini-embedding-001" };
        configure(options);
        return new GeminiEmbeddingGenerator(options);
    }
}
