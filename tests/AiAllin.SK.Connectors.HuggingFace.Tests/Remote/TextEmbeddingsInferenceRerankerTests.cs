using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Reranking;
using AiAllin.SK.Testing.Providers;
using static AiAllin.SK.Connectors.HuggingFace.Tests.Remote.TeiTestKit;

namespace AiAllin.SK.Connectors.HuggingFace.Tests.Remote;

public sealed class TextEmbeddingsInferenceRerankerTests : IAsyncLifetime
{
    private const string Query = "what is deep learning";

    private static readonly string[] Documents =
    [
        "cooking pasta at home",
        "deep learning is a branch of machine learning",
        "what is the weather today",
        "learning to cook",
        "deep sea diving",
        "what deep learning is and is not",
        "gardening tips",
        "is it raining",
    ];

    private TextEmbeddingsInferenceWireServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await WireServer.StartAsync<TextEmbeddingsInferenceWireServer>();
        _server.IsReranker = true;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Rerank_ReturnsEveryDocumentBestFirstWithTheCallersIndices()
    {
        _server.Enqueue(new ScriptedReply());
        using var reranker = new TextEmbeddingsInferenceReranker(Reranker(_server));

        var results = await reranker.RerankAsync(Query, Documents);

        Assert.Equal(ExpectedOrder(), results.Select(r => r.Index));
        Assert.Equal(TextEmbeddingsInferenceWireServer.Score(Query, Documents[5]), results[0].Score, 6);
        var body = _server.Requests.Single().Body!;
        Assert.Equal(Query, body["query"]!.GetValue<string>());
        Assert.Equal(Documents.Length, body["texts"]!.AsArray().Count);
        Assert.False(body["raw_scores"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Rerank_MoreDocumentsThanTheServerTakes_SplitsCallsAndAppliesTopNAfterMerging()
    {
        _server.MaxClientBatchSize = 3;
        _server.Enqueue(Replies(3));
        using var reranker = new TextEmbeddingsInferenceReranker(Reranker(_server, o => o.MaxBatchSize = 3));

        var results = await reranker.RerankAsync(Query, Documents, new RerankOptions { TopN = 2 });

        Assert.Equal([3, 3, 2], _server.Requests.Select(r => r.Body!["texts"]!.AsArray().Count));
        Assert.Equal(ExpectedOrder().Take(2), results.Select(r => r.Index));
    }

    [Fact]
    public async Task Rerank_ReadServerInfo_TakesTheServerLimit()
    {
        _server.MaxClientBatchSize = 5;
        _server.Enqueue(Replies(3));
        using var reranker = new TextEmbeddingsInferenceReranker(Reranker(_server, o => o.ReadServerInfo = true));

        var results = await reranker.RerankAsync(Query, Documents);

        Assert.Equal(["/info", "/rerank", "/rerank"], _server.Requests.Select(r => r.Path));
        Assert.Equal(ExpectedOrder(), results.Select(r => r.Index));
    }

    [Fact]
    public async Task Rerank_EqualScores_KeepTheCallersOrderThoughTeiReversesThem()
    {
        _server.Enqueue(new ScriptedReply());
        using var reranker = new TextEmbeddingsInferenceReranker(Reranker(_server));

        var results = await reranker.RerankAsync("unrelated", ["alpha", "beta", "gamma"]);

        Assert.Equal([0, 1, 2], results.Select(r => r.Index));
    }

    [Fact]
    public async Task Rerank_RawScoresAndTruncate_AreSentAndLogitsReturned()
    {
        _server.Enqueue(new ScriptedReply());
        using var reranker = new TextEmbeddingsInferenceReranker(Reranker(_server, o => o.RawScores = true));

        var results = await reranker.RerankAsync(Query, Documents, new RerankOptions { Truncate = true });

        var body = _server.Requests.Single().Body!;
        Assert.True(body["raw_scores"]!.GetValue<bool>());
        Assert.True(body["truncate"]!.GetValue<bool>());
        Assert.Equal(TextEmbeddingsInferenceWireServer.RawScore(Query, Documents[5]), results[0].Score, 6);
    }

    [Fact]
    public async Task Rerank_BadInput_ThrowsBeforeAnyRequest()
    {
        using var reranker = new TextEmbeddingsInferenceReranker(Reranker(_server));

        await Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync(" ", Documents));
        await Assert.ThrowsAsync<ArgumentNullException>(() => reranker.RerankAsync(null!, Documents));
        var nullDocument = await Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync(Query, ["a", null!, "c"]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reranker.RerankAsync(Query, Documents, new RerankOptions { TopN = 0 }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => reranker.RerankAsync(Query, null!));

        Assert.Contains("index 1", nullDocument.Message, StringComparison.Ordinal);
        Assert.Empty(await reranker.RerankAsync(Query, []));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Rerank_MoreDocumentsPerCallThanTheServerAllows_SplitsToTheServersLimit()
    {
        _server.MaxClientBatchSize = 3;
        _server.Enqueue(Replies(1 + 3));
        using var reranker = new TextEmbeddingsInferenceReranker(Reranker(_server, o => o.MaxBatchSize = 10));

        var results = await reranker.RerankAsync(Query, Documents, new RerankOptions { TopN = 3 });

        Assert.Equal([8, 3, 3, 2], _server.Requests.Select(r => r.Body!["texts"]!.AsArray().Count));
        Assert.Equal(ExpectedOrder().Take(3), results.Select(r => r.Index));
    }

    [Fact]
    public async Task Rerank_TextTooLong422_IsNotTransient()
    {
        _server.Enqueue(ScriptedReply.WithError(422, "Tokenizer", "Input validation error: `inputs` must have less than 512 tokens. Given: 700"));
        using var reranker = new TextEmbeddingsInferenceReranker(Reranker(_server, o => o.MaxRetries = 2));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => reranker.RerankAsync(Query, Documents));

        Assert.Equal(422, (int?)exception.StatusCode);
        Assert.False(exception.IsTransient);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Rerank_Overloaded429_CarriesRetryAfterAndIsRetriedWhenShort()
    {
        _server.Enqueue(ScriptedReply.WithError(429, "Overloaded", "Model is overloaded", TimeSpan.FromSeconds(1)), new ScriptedReply());
        using var reranker = new TextEmbeddingsInferenceReranker(Reranker(_server, o => o.MaxRetries = 1));

        var results = await reranker.RerankAsync(Query, Documents);

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(ExpectedOrder(), results.Select(r => r.Index));

        _server.Enqueue(ScriptedReply.WithError(429, "Overloaded", "Model is overloaded", TimeSpan.FromMinutes(2)));
        var exception = await Assert.ThrowsAsync<ProviderException>(() => reranker.RerankAsync(Query, Documents));
        Assert.Equal(TimeSpan.FromMinutes(2), exception.RetryAfter);
        Assert.True(exception.IsTransient);
    }

    [Fact]
    public async Task Rerank_OnAnEmbeddingModel_Throws424FromTheServer()
    {
        _server.IsReranker = false;
        _server.Enqueue(new ScriptedReply());
        using var reranker = new TextEmbeddingsInferenceReranker(Reranker(_server));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => reranker.RerankAsync(Query, Documents));

        Assert.Equal(424, (int?)exception.StatusCode);
        Assert.Contains("not a re-ranker", exception.Message, StringComparison.Ordinal);
    }

    // The order the served model's scores give, best first, ties by the caller's order.
    private static IEnumerable<int> ExpectedOrder() =>
        Documents.Select((text, index) => (Index: index, Score: (float)TextEmbeddingsInferenceWireServer.Score(Query, text)))
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Index)
            .Select(r => r.Index);
}
