using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Connectors.HuggingFace.Tests.Remote.TeiTestKit;

namespace AiAllin.SK.Connectors.HuggingFace.Tests.Remote;

public sealed class HuggingFaceInferenceEmbeddingGeneratorTests : IAsyncLifetime
{
    private HuggingFaceInferenceWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<HuggingFaceInferenceWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Generate_PostsToTheModelsFeatureExtractionPathWithTheBearerToken()
    {
        _server.Enqueue(new ScriptedReply(), new ScriptedReply());
        using var generator = new HuggingFaceInferenceEmbeddingGenerator(Inference(_server));

        var embeddings = await generator.GenerateAsync(["hello"]);
        await generator.GenerateAsync(["hello"], new EmbeddingGenerationOptions { ModelId = "BAAI/bge-small-en-v1.5" });

        Assert.Equal("/hf-inference/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/feature-extraction", _server.Requests[0].Path);
        Assert.Equal("BAAI/bge-small-en-v1.5", _server.Describe(_server.Requests[1]).Model);
        Assert.Equal(Key, _server.Describe(_server.Requests[0]).Credential);
        Assert.Equal("""{"inputs":["hello"]}""", _server.Requests[0].BodyText);
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", embeddings[0].ModelId);
    }

    [Fact]
    public async Task Generate_TokenLevelAnswer_IsMeanPooledOverTheTokensAndNormalized()
    {
        _server.Enqueue(new ScriptedReply { Extras = new Dictionary<string, object?> { [HuggingFaceInferenceWireServer.TokenLevelExtra] = true } });
        using var generator = new HuggingFaceInferenceEmbeddingGenerator(Inference(_server));

        var embeddings = await generator.GenerateAsync(["deep learning", "hi"]);

        Assert.Equal(MeanThenUnit("deep learning"), embeddings[0].Vector.ToArray(), new Tolerance());
        Assert.Equal(MeanThenUnit("hi"), embeddings[1].Vector.ToArray(), new Tolerance());
    }

    [Fact]
    public async Task Generate_TokenLevelAnswerWithPoolingOff_FailsNamingTheSetting()
    {
        _server.Enqueue(new ScriptedReply { Extras = new Dictionary<string, object?> { [HuggingFaceInferenceWireServer.TokenLevelExtra] = true } });
        using var generator = new HuggingFaceInferenceEmbeddingGenerator(Inference(_server, o => o.PoolTokenEmbeddings = false));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["deep learning"]));

        Assert.Contains("PoolTokenEmbeddings", exception.Message, StringComparison.Ordinal);
        Assert.Contains("one vector per token", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ColdModelLongerThanTheCap_FailsAtOnceWithTheEstimateAsRetryAfter()
    {
        _server.Enqueue(new ScriptedReply { Extras = new Dictionary<string, object?> { [HuggingFaceInferenceWireServer.LoadingSecondsExtra] = 42.5 } }, new ScriptedReply());
        using var generator = new HuggingFaceInferenceEmbeddingGenerator(Inference(_server, o => o.MaxRetries = 2));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x"]));

        Assert.Equal(503, (int?)exception.StatusCode);
        Assert.True(exception.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(43), exception.RetryAfter);
        Assert.Contains("currently loading", exception.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Generate_ColdModelWithinTheCap_WaitsTheEstimateAndRetries()
    {
        _server.Enqueue(new ScriptedReply { Extras = new Dictionary<string, object?> { [HuggingFaceInferenceWireServer.LoadingSecondsExtra] = 0.4 } }, new ScriptedReply());
        using var generator = new HuggingFaceInferenceEmbeddingGenerator(Inference(_server, o => o.MaxRetries = 1));

        var embeddings = await generator.GenerateAsync(["x"]);

        Assert.Equal(DeterministicEmbedding.For("x", 8), embeddings[0].Vector.ToArray());
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Generate_WaitForModel_AsksTheServerToWaitInBodyAndHeader()
    {
        _server.Enqueue(new ScriptedReply { Extras = new Dictionary<string, object?> { [HuggingFaceInferenceWireServer.LoadingSecondsExtra] = 30.0 } });
        using var generator = new HuggingFaceInferenceEmbeddingGenerator(Inference(_server, o => o.WaitForModel = true));

        var embeddings = await generator.GenerateAsync(["x"]);

        var request = _server.Requests.Single();
        Assert.True(request.Body!["options"]!["wait_for_model"]!.GetValue<bool>());
        Assert.Equal("true", request.Header("x-wait-for-model"));
        Assert.Single(embeddings);
    }

    [Fact]
    public async Task Generate_Dimensions_AreRefusedBecauseTheTaskHasNone()
    {
        using var generator = new HuggingFaceInferenceEmbeddingGenerator(Inference(_server));

        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 4 }));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void Create_WithoutToken_FailsNamingTheSettingAndVariables()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new HuggingFaceInferenceEmbeddingGenerator(new HuggingFaceInferenceOptions { Model = "m/x" }));

        Assert.Contains("AiAllin:HuggingFace:ApiKey", exception.Message, StringComparison.Ordinal);
        Assert.Contains("HF_TOKEN", exception.Message, StringComparison.Ordinal);
    }

    private static float[] MeanThenUnit(string text)
    {
        var tokens = HuggingFaceInferenceWireServer.Tokens(text).Select(t => DeterministicEmbedding.For(t, 8)).ToList();
        var mean = new double[8];
        foreach (var token in tokens)
        {
            for (var i = 0; i < mean.Length; i++)
            {
                mean[i] += token[i] / tokens.Count;
            }
        }

        var norm = Math.Sqrt(mean.Sum(v => v * v));
        return [.. mean.Select(v => (float)(v / norm))];
    }

    private sealed class Tolerance : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) < 1e-5f;

        public int GetHashCode(float obj) => 0;
    }
}
