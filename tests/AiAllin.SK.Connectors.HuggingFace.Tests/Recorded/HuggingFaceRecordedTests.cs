using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Reranking;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.HuggingFace.Tests.Recorded;

// Answers of real text-embeddings-inference servers and of the Hugging Face Inference API, as their public reference
// and issue threads show them, replayed byte for byte (and cut into odd-sized pieces) to the clients. Sources:
//  - TEI: huggingface/text-embeddings-inference docs/openapi.json (v1.7.1): the EmbedResponse, Rank (with
//    return_text) and ErrorResponse examples of /embed and /rerank, including their lower-case error_type spelling.
//  - TEI: huggingface/text-embeddings-inference#50 "why cause 413?": the web server's plain-text 413 when the body
//    passes its 2 MB limit, before TEI's own JSON errors.
//  - Inference API: huggingface.co/vasista22/whisper-telugu-base/discussions/1 ("Status code 503",
//    {"error":"Model … is currently loading","estimated_time":20.0}) and huggingface/api-inference-community#34
//    (estimated_time 44.490336920000004 on a sentence-transformers model).
public sealed class HuggingFaceRecordedTests
{
    private const string Key = "hf_recordedkey0a9b8c7d6e5f4a3b2c1d";

    private const string TeiEmbedResponse = "[[0.0,1.0,2.0]]";

    private const string TeiRerankWithTextResponse = """[{"index":0,"text":"Deep Learning is ...","score":1.0}]""";

    private const string TeiOverloaded = """{"error":"Model is overloaded","error_type":"overloaded"}""";

    private const string TeiTokenizerError = """{"error":"Tokenization error","error_type":"tokenizer"}""";

    private const string TeiBodyLimit = "Failed to buffer the request body: length limit exceeded";

    private const string HubModelLoading = """{"error":"Model vasista22/whisper-telugu-base is currently loading","estimated_time":20.0}""";

    private const string CommunityModelLoading = """{"error": "Model Matthieu/stsb-xlm-r-multilingual-custom is currently loading", "estimated_time": 44.490336920000004}""";

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public async Task TeiEmbed_DocumentedResponse_ReadsTheVectorAtAnyCut(int chunkSize)
    {
        await using var replay = ReplayServer.Start(RecordedReply.Json(TeiEmbedResponse) with { ChunkSize = chunkSize });
        using var generator = new TextEmbeddingsInferenceGenerator(new TextEmbeddingsInferenceOptions { Endpoint = replay.BaseAddress });

        var embeddings = await generator.GenerateAsync(["What is Deep Learning?"]);

        Assert.Equal([0f, 1f, 2f], embeddings[0].Vector.ToArray());
        Assert.Equal("/embed", replay.Requests.Single().Path);
    }

    [Fact]
    public async Task TeiRerank_DocumentedResponseWithText_ReadsIndexAndScore()
    {
        await using var replay = ReplayServer.Start(RecordedReply.Json(TeiRerankWithTextResponse) with { ChunkSize = 3 });
        using var reranker = new TextEmbeddingsInferenceReranker(new TextEmbeddingsInferenceRerankerOptions { Endpoint = replay.BaseAddress });

        var results = await reranker.RerankAsync("What is Deep Learning?", ["Deep Learning is ..."]);

        Assert.Equal(new RerankResult(0, 1.0), Assert.Single(results));
    }

    [Fact]
    public async Task TeiEmbed_DocumentedOverloaded429_IsTransientWithItsErrorType()
    {
        await using var replay = ReplayServer.Start(new RecordedReply(429, TeiOverloaded) { Headers = new Dictionary<string, string> { ["Retry-After"] = "30" } });
        using var generator = new TextEmbeddingsInferenceGenerator(new TextEmbeddingsInferenceOptions { Endpoint = replay.BaseAddress, ApiKey = Key, MaxRetryDelay = TimeSpan.FromSeconds(1) });

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x"]));

        Assert.Equal(429, (int?)exception.StatusCode);
        Assert.Equal("overloaded", exception.ErrorCode);
        Assert.Equal("Model is overloaded", exception.ProviderMessage);
        Assert.Equal(TimeSpan.FromSeconds(30), exception.RetryAfter);
        Assert.True(exception.IsTransient);
    }

    [Fact]
    public async Task TeiRerank_DocumentedTokenizer422_IsAPermanentFailure()
    {
        await using var replay = ReplayServer.Start(new RecordedReply(422, TeiTokenizerError));
        using var reranker = new TextEmbeddingsInferenceReranker(new TextEmbeddingsInferenceRerankerOptions { Endpoint = replay.BaseAddress });

        var exception = await Assert.ThrowsAsync<ProviderException>(() => reranker.RerankAsync("q", ["d"]));

        Assert.Equal("tokenizer", exception.ErrorCode);
        Assert.False(exception.IsTransient);
        Assert.Single(replay.Requests);
    }

    [Fact]
    public async Task TeiEmbed_PlainTextBodyLimit413_CarriesTheServersText()
    {
        await using var replay = ReplayServer.Start(new RecordedReply(413, TeiBodyLimit, "text/plain; charset=utf-8"));
        using var generator = new TextEmbeddingsInferenceGenerator(new TextEmbeddingsInferenceOptions { Endpoint = replay.BaseAddress });

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x"]));

        Assert.Equal(413, (int?)exception.StatusCode);
        Assert.Contains("length limit exceeded", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HubModelLoading, 20)]
    [InlineData(CommunityModelLoading, 45)]
    public async Task InferenceApi_RecordedModelLoading503_BecomesRetryAfterFromEstimatedTime(string body, int seconds)
    {
        await using var replay = ReplayServer.Start(new RecordedReply(503, body) { ChunkSize = 7 });
        using var generator = new HuggingFaceInferenceEmbeddingGenerator(new HuggingFaceInferenceOptions
        {
            Endpoint = new Uri(replay.BaseAddress, "hf-inference/"),
            ApiKey = Key,
            Model = "sentence-transformers/all-MiniLM-L6-v2",
        });

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x"]));

        Assert.Equal(503, (int?)exception.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(seconds), exception.RetryAfter);
        Assert.True(exception.IsTransient);
        Assert.Contains("is currently loading", exception.Message, StringComparison.Ordinal);
        Assert.Single(replay.Requests);
        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
    }
}
