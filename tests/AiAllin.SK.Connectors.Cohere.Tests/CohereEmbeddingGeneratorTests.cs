using AiAllin.SK.Testing.Logging;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Cohere.Tests;

public sealed class CohereEmbeddingGeneratorTests : IAsyncLifetime
{
    private const string Key = "co-embed-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d";
    private readonly CollectingLoggerProvider _logs = new();
    private CohereWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<CohereWireServer>();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Assert.DoesNotContain(Key, _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_SendsTheConfiguredInputTypeAndAPerCallOne()
    {
        _server.Enqueue(new ScriptedReply(), new ScriptedReply());
        using var generator = new CohereEmbeddingGenerator(Options(o => o.Truncate = CohereTruncation.Start), _logs.CreateFactory());

        await generator.GenerateAsync(["a stored document"]);
        await generator.GenerateAsync(["a query"], new EmbeddingGenerationOptions { AdditionalProperties = new() { ["input_type"] = CohereEmbeddingInputType.SearchQuery } });

        Assert.Equal("search_document", _server.Requests[0].Body!["input_type"]!.GetValue<string>());
        Assert.Equal("search_query", _server.Requests[1].Body!["input_type"]!.GetValue<string>());
        Assert.Equal("START", _server.Requests[0].Body!["truncate"]!.GetValue<string>());
        Assert.Equal("float", _server.Requests[0].Body!["embedding_types"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_200Texts_GoesInBatchesOfAtMost96AndKeepsTheOrder()
    {
        _server.Enqueue(new ScriptedReply(), new ScriptedReply(), new ScriptedReply());
        using var generator = new CohereEmbeddingGenerator(Options(), _logs.CreateFactory());
        var inputs = Enumerable.Range(0, 200).Select(i => $"text {i}").ToArray();

        var embeddings = await generator.GenerateAsync(inputs);

        Assert.Equal([96, 96, 8], _server.Requests.Select(r => r.Body!["texts"]!.AsArray().Count));
        Assert.Equal(DeterministicEmbedding.For("text 150", 8), embeddings[150].Vector.ToArray());
        Assert.Equal(200 * 2, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Int8Generator_ReturnsTheSignedVectors()
    {
        _server.Enqueue(new ScriptedReply());
        using var generator = new CohereInt8EmbeddingGenerator(Options(o => o.Dimensions = 16), _logs.CreateFactory());

        var embedding = (await generator.GenerateAsync(["quantized"]))[0];

        Assert.Equal("int8", _server.Requests.Single().Body!["embedding_types"]![0]!.GetValue<string>());
        var expected = DeterministicEmbedding.For("quantized", 16).Select(x => (sbyte)Math.Round(x * 127)).ToArray();
        Assert.Equal(expected, embedding.Vector.ToArray());
    }

    [Fact]
    public async Task UInt8Generator_ReturnsTheUnsignedVectors()
    {
        _server.Enqueue(new ScriptedReply());
        using var generator = new CohereUInt8EmbeddingGenerator(Options(o => o.Dimensions = 12), _logs.CreateFactory());

        var embedding = (await generator.GenerateAsync(["unsigned"]))[0];

        Assert.Equal("uint8", _server.Requests.Single().Body!["embedding_types"]![0]!.GetValue<string>());
        var expected = DeterministicEmbedding.For("unsigned", 12).Select(x => (byte)Math.Round((x + 1) * 127.5)).ToArray();
        Assert.Equal(expected, embedding.Vector.ToArray());
    }

    [Fact]
    public async Task BinaryGenerator_UnpacksTheBitsMostSignificantFirst()
    {
        _server.Enqueue(new ScriptedReply());
        using var generator = new CohereBinaryEmbeddingGenerator(Options(o => o.Dimensions = 16), _logs.CreateFactory());

        var embedding = (await generator.GenerateAsync(["bits"]))[0];

        Assert.Equal("ubinary", _server.Requests.Single().Body!["embedding_types"]![0]!.GetValue<string>());
        var signs = DeterministicEmbedding.For("bits", 16).Select(x => x > 0).ToArray();
        Assert.Equal(16, embedding.Dimensions);
        Assert.Equal(signs, Enumerable.Range(0, 16).Select(i => embedding.Vector[i]));
    }

    [Fact]
    public async Task Generate_WithAnUnknownInputTypeValue_ThrowsBeforeSending()
    {
        using var generator = new CohereEmbeddingGenerator(Options(), _logs.CreateFactory());

        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { AdditionalProperties = new() { ["input_type"] = 3 } }));

        Assert.Empty(_server.Requests);
    }

    private CohereEmbeddingOptions Options(Action<CohereEmbeddingOptions>? configure = null)
    {
        var options = new CohereEmbeddingOptions { Endpoint = _server.BaseAddress, ApiKey = Key, Model = "embed-v4.0" };
        configure?.Invoke(options);
        return options;
    }
}
