using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Reranking;
using AiAllin.SK.Testing.Logging;
using AiAllin.SK.Testing.Providers;

namespace AiAllin.SK.Connectors.Cohere.Tests;

public sealed class CohereRerankerTests : IAsyncLifetime
{
    private const string Key = "co-rerank-0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private static readonly string[] Documents =
    [
        "Carson City is the capital city of the American state of Nevada.",
        "The Commonwealth of the Northern Mariana Islands is a group of islands in the Pacific Ocean. Its capital is Saipan.",
        "Washington, D.C. is the capital of the United States.",
        "Capital punishment has existed in the United States since before it was a country.",
        "The capital of the United States is Washington, D.C., a federal district.",
    ];

    private readonly CollectingLoggerProvider _logs = new();
    private CohereWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<CohereWireServer>();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Assert.DoesNotContain(Key, _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rerank_ReturnsTheServersOrderWithTopNAndMaxTokensPerDoc()
    {
        _server.Enqueue(new ScriptedReply());
        using var reranker = Reranker(o => o.MaxTokensPerDoc = 512);
        const string query = "What is the capital of the United States?";

        var results = await reranker.RerankAsync(query, Documents, new RerankOptions { TopN = 2 });

        var body = _server.Requests.Single().Body!;
        Assert.Equal(2, body["top_n"]!.GetValue<int>());
        Assert.Equal(512, body["max_tokens_per_doc"]!.GetValue<int>());
        Assert.Equal("rerank-v3.5", body["model"]!.GetValue<string>());
        Assert.Equal(Expected(query).Take(2), results);
    }

    [Fact]
    public async Task Rerank_MoreDocumentsThanABatch_MergesEveryBatchWithIndicesIntoTheCallersList()
    {
        _server.Enqueue(new ScriptedReply(), new ScriptedReply());
        using var reranker = Reranker(o => o.BatchSize = 3);
        const string query = "capital of the United States";

        var results = await reranker.RerankAsync(query, Documents, new RerankOptions { TopN = 3 });

        Assert.Equal([3, 2], _server.Requests.Select(r => r.Body!["documents"]!.AsArray().Count));
        Assert.All(_server.Requests, r => Assert.Null(r.Body!["top_n"]));
        Assert.Equal(Expected(query).Take(3), results);
    }

    [Fact]
    public async Task Rerank_WithTruncateOff_IsRefusedBeforeSending()
    {
        using var reranker = Reranker();

        await Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync("q", Documents, new RerankOptions { Truncate = false }));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Rerank_429WithLongRetryAfter_FailsAtOnceCarryingIt()
    {
        _server.Enqueue(ScriptedReply.WithError(429, string.Empty, "You are past the per minute request limit, please wait and try again later.", TimeSpan.FromMinutes(30)));
        using var reranker = Reranker();

        var exception = await Assert.ThrowsAsync<ProviderException>(() => reranker.RerankAsync("q", Documents));

        Assert.Equal(TimeSpan.FromMinutes(30), exception.RetryAfter);
        Assert.True(exception.IsTransient);
        Assert.Contains("per minute request limit", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    private static IEnumerable<RerankResult> Expected(string query) =>
        Documents.Select((d, i) => new RerankResult(i, CohereWireServer.RelevanceFor(query, d)))
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Index);

    private CohereReranker Reranker(Action<CohereRerankOptions>? configure = null)
    {
        var options = new CohereRerankOptions { Endpoint = _server.BaseAddress, ApiKey = Key, Model = "rerank-v3.5" };
        configure?.Invoke(options);
        return new CohereReranker(options, _logs.CreateFactory());
    }
}
