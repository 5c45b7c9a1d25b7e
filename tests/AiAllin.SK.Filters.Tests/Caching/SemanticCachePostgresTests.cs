using AiAllin.SK.Connectors.Postgres;
using AiAllin.SK.Filters.Caching;
using AiAllin.SK.Filters.Tests.TestSupport;
using AiAllin.SK.Testing.Servers;
using AiAllin.SK.Testing.VectorData;
using static AiAllin.SK.Filters.Tests.Caching.CacheTestHost;

namespace AiAllin.SK.Filters.Tests.Caching;

public sealed class SemanticCachePostgresTests
{
    private static readonly string[] Vocabulary = ["what", "is", "the", "capital", "of", "france", "italy", "my", "balance"];

    [PostgresFact]
    public async Task Postgres_SimilarQuestionHits_PartitionsStayApart_AndInvalidationDeletesRows()
    {
        var connectionString = TestServers.Require(TestServers.PostgresVariable);
        var collection = "semcache_" + Guid.NewGuid().ToString("N")[..10];
        await using var dataSource = PostgresVectorStore.CreateDataSource(connectionString);
        using var store = new PostgresVectorStore(dataSource);
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("answer ", "#" + call.Index));
        var policy = new SemanticCachePolicy(
            store, TestEmbeddingGenerator.Words(Vocabulary), new SemanticCacheOptions { CollectionName = collection, Tags = { "kb" } });
        using var client = new SemanticCachingChatClient(inner, policy);

        try
        {
            var first = await client.GetResponseAsync(Ask("What is the capital of France"), ForTenant("alice"));
            var similar = await client.GetResponseAsync(Ask("what is the capital of france, please"), ForTenant("alice"));
            var otherTenant = await client.GetResponseAsync(Ask("what is the capital of france"), ForTenant("bob"));
            var italy = await client.GetResponseAsync(Ask("What is the capital of Italy"), ForTenant("alice"));
            var streamed = await Collect(client.GetStreamingResponseAsync(Ask("What is the capital of France"), ForTenant("alice")));

            Assert.Equal("answer #0", similar.Text);
            Assert.Equal("hit", Status(similar));
            Assert.Equal("answer #1", otherTenant.Text);
            Assert.Equal("answer #2", italy.Text);
            Assert.Equal("answer #0", string.Concat(streamed.Select(u => u.Text)));
            Assert.Equal(3, inner.CallCount);

            Assert.Equal(1, await policy.InvalidatePartitionAsync("bob"));
            Assert.Equal(2, await policy.InvalidateTagAsync("kb"));
            var afterInvalidation = await client.GetResponseAsync(Ask("What is the capital of France"), ForTenant("alice"));
            Assert.Equal("answer #3", afterInvalidation.Text);
            Assert.NotEqual(Key(first), Key(afterInvalidation));
        }
        finally
        {
            await store.EnsureCollectionDeletedAsync(collection);
        }
    }
}
