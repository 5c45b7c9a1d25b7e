using AiAllin.SK.Connectors.Postgres;
using AiAllin.SK.Plugins.Memory.Tests.TestSupport;
using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.Time.Testing;

namespace AiAllin.SK.Plugins.Memory.Tests;

public sealed class PostgresMemoryTests
{
    private static readonly MemoryScope Alice = new("acme", "alice");

    [PostgresFact]
    public async Task NativeExpiry_ThroughCollectionFactory_HidesAndPurgesExpiredRows()
    {
        await using var stores = await MemoryStores.CreateAsync("postgres");
        var store = (PostgresVectorStore)stores.Store;

        // The memory's own clock says the note is alive; the store's native expiry (server time) says it is not.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-10));
        using var memory = new SemanticMemory(store, Embeddings.MiniLM, new SemanticMemoryOptions
        {
            TimeProvider = clock,
            CollectionFactory = (s, name, definition) => ((PostgresVectorStore)s).GetCollection<string, MemoryRecord>(
                name, new PostgresCollectionOptions { Definition = definition, Schema = stores.Server!.Schema, ExpiryProperty = nameof(MemoryRecord.ExpiresAt) }),
        });
        await memory.AddAsync(Alice, "Temporary door code 4711.", new MemoryAddOptions { TimeToLive = TimeSpan.FromDays(1) });
        await memory.AddAsync(Alice, "The office is on the third floor.");

        var listed = await memory.ListAsync(Alice).ToListAsync();
        var purged = await store.PurgeExpiredAsync();

        Assert.Equal("The office is on the third floor.", Assert.Single(listed).Text);
        Assert.Equal(1, purged);
        Assert.Equal(1L, await stores.Server!.ScalarAsync<long>($"SELECT count(*) FROM \"{stores.Server.Schema}\".\"memories_v1\""));
    }

    [PostgresFact]
    public async Task ModelChange_IsDetectedBeforeTheTableIsTouched_AndMigrationMovesRows()
    {
        await using var stores = await MemoryStores.CreateAsync("postgres");
        using (var original = new SemanticMemory(stores.Store, Embeddings.MiniLM))
        {
            await original.AddAsync(Alice, "capital of france is paris");
        }

        using var changed = new SemanticMemory(stores.Store, AiAllin.SK.Testing.VectorData.TestEmbeddingGenerator.Words("capital", "france", "paris"));
        await Assert.ThrowsAsync<EmbeddingModelMismatchException>(() => changed.AddAsync(Alice, "new text"));
        Assert.Equal(1L, await stores.Server!.ScalarAsync<long>($"SELECT count(*) FROM \"{stores.Server.Schema}\".\"memories_v1\""));

        Assert.Equal(1, await changed.MigrateAsync());
        Assert.Equal("capital of france is paris", Assert.Single(await changed.SearchAsync(Alice, "france")).Memory.Text);
    }
}
