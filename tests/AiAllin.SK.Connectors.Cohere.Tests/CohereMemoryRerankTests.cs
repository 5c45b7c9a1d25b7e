using AiAllin.SK.Connectors.Core.Reranking;
using AiAllin.SK.Connectors.InMemory;
using AiAllin.SK.Plugins.Memory;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Cohere.Tests;

// Memory search with embeddings and rerank both served by the Cohere wire server: the vectors are deterministic but
// meaningless, the rerank scores are word overlap, so a reordering is visible and predictable.
public sealed class CohereMemoryRerankTests : IAsyncLifetime
{
    private const string Key = "co-memory-a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private const string Query = "which seat does alice prefer on flights";
    private static readonly MemoryScope Alice = new("acme", "alice");
    private static readonly string[] Texts =
    [
        "Alice prefers a window seat on long flights.",
        "Alice drinks tea without sugar.",
        "The office moves to the fifth floor in May.",
        "Alice prefers aisle seats on short trains.",
    ];

    private CohereWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<CohereWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Search_WithARegisteredCohereReranker_ReturnsTheRerankersOrderAndScores()
    {
        _server.Enqueue(Enumerable.Range(0, 12).Select(_ => new ScriptedReply()).ToArray());
        var services = new ServiceCollection();
        services.AddSingleton<VectorStore>(new InMemoryVectorStore());
        services.AddCohereEmbeddingGenerator(o => { o.Endpoint = _server.BaseAddress; o.ApiKey = Key; o.Model = "embed-v4.0"; });
        services.AddCohereReranker(o => { o.Endpoint = _server.BaseAddress; o.ApiKey = Key; o.Model = "rerank-v3.5"; });
        services.AddSemanticMemory();
        await using var provider = services.BuildServiceProvider();
        var memory = provider.GetRequiredService<SemanticMemory>();
        foreach (var text in Texts)
        {
            await memory.AddAsync(Alice, text);
        }

        var byVector = await memory.SearchAsync(Alice, Query, new MemorySearchOptions { Top = 4, Rerank = false });
        var reranked = await memory.SearchAsync(Alice, Query, new MemorySearchOptions { Top = 4 });

        var expected = byVector.Select(r => r.Memory.Text).OrderByDescending(t => CohereWireServer.RelevanceFor(Query, t)).ToList();
        Assert.Equal(expected, reranked.Select(r => r.Memory.Text));
        Assert.NotEqual(byVector.Select(r => r.Memory.Text), reranked.Select(r => r.Memory.Text));
        Assert.Equal(CohereWireServer.RelevanceFor(Query, Texts[0]), reranked[0].Score, 6);
        var rerankRequest = Assert.Single(_server.Requests, r => r.Path == CohereWireServer.RerankPath);
        Assert.Equal(Query, rerankRequest.Body!["query"]!.GetValue<string>());
        Assert.Equal(4, rerankRequest.Body!["documents"]!.AsArray().Count);
    }

    [Fact]
    public async Task Adapter_PassesItsOptionsAndDropsWhatTheRerankerLeavesOut()
    {
        _server.Enqueue(new ScriptedReply());
        using var reranker = new CohereReranker(new CohereRerankOptions { Endpoint = _server.BaseAddress, ApiKey = Key, Model = "rerank-v3.5" });
        var adapter = new RerankerMemoryReranker(reranker, new RerankOptions { TopN = 1 });
        var results = Texts.Select((t, i) => new MemorySearchResult(new MemoryEntry { Id = $"m{i}", Text = t, Scope = Alice, Source = "app", Trust = MemoryTrust.Untrusted, Metadata = new Dictionary<string, string>(), Flags = [], CreatedAt = DateTimeOffset.UnixEpoch, DocumentId = $"m{i}" }, 0.5)).ToList();

        var reranked = await adapter.RerankAsync(Query, results, CancellationToken.None);

        Assert.Equal("m0", Assert.Single(reranked).Memory.Id);
        Assert.Equal(1, _server.Requests.Single().Body!["top_n"]!.GetValue<int>());
    }
}
