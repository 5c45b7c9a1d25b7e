using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.Postgres.Sessions;
using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AiAllin.SK.Connectors.Postgres.Tests.Sessions;

public sealed class PostgresChatHistoryExpiryTests
{
    [PostgresFact]
    public async Task Session_OnceItsTimeToLivePasses_IsUnreadableAtOnceAndPurgeDeletesItsRows()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var store = db.CreateStore(new ChatHistoryStoreOptions { TimeProvider = clock });
        var doomed = await store.CreateAsync(new() { OwnerId = "owner", TimeToLive = TimeSpan.FromMinutes(10) });
        var kept = await store.CreateAsync(new() { OwnerId = "owner", TimeToLive = TimeSpan.FromHours(10) });
        await store.AppendAsync(doomed.Id, [new ChatMessage(ChatRole.User, "a"), new ChatMessage(ChatRole.Assistant, "b")]);
        await store.AppendAsync(kept.Id, [new ChatMessage(ChatRole.User, "kept")]);

        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await store.GetAsync(doomed.Id));
        await Assert.ThrowsAsync<ChatSessionNotFoundException>(() => store.AppendAsync(doomed.Id, [new ChatMessage(ChatRole.User, "late")]));
        Assert.False(await store.SetExpiryAsync(doomed.Id, null));
        Assert.Equal([kept.Id], await store.ListAsync("owner").Select(s => s.Id).ToListAsync());
        Assert.Equal(2L, await db.ScalarAsync<long>($"SELECT count(*) FROM {db.Messages} WHERE session_id = @id", ("id", doomed.Id)));

        Assert.Equal(1, await store.PurgeExpiredAsync());

        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM {db.Sessions} WHERE id = @id", ("id", doomed.Id)));
        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM {db.Messages} WHERE session_id = @id", ("id", doomed.Id)));
        Assert.Equal(["kept"], (await store.GetAsync(kept.Id))!.Messages.Select(m => m.Text));
        Assert.Equal(0, await store.PurgeExpiredAsync());
    }

    [PostgresFact]
    public async Task PurgeExpired_WithMoreThanOneBatch_RemovesEveryExpiredSession()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var store = db.CreateStore(new ChatHistoryStoreOptions { TimeProvider = clock });
        await store.EnsureSchemaAsync();
        await db.ExecuteAsync(
            $"INSERT INTO {db.Sessions} (id, owner_id, created_at, updated_at, expires_at) SELECT 'bulk-' || i, 'owner', @now, @now, @now FROM generate_series(1, 2500) AS i",
            ("now", clock.GetUtcNow()));
        var live = await store.CreateAsync(new() { OwnerId = "owner" });

        Assert.Equal(2500, await store.PurgeExpiredAsync());

        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM {db.Sessions}"));
        Assert.NotNull(await store.GetAsync(live.Id));
    }

    [PostgresFact]
    public async Task CleanupService_RegisteredWithTheStore_DeletesExpiredSessionsInTheBackground()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        var services = new ServiceCollection();
        services.AddPostgresChatHistoryStore(db.DataSource, o =>
        {
            o.Schema = db.Schema;
            o.CleanupInterval = TimeSpan.FromMilliseconds(100);
        });
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IChatHistoryStore>();
        var expired = await store.CreateAsync(new() { OwnerId = "owner", ExpiresAt = DateTimeOffset.UtcNow.AddHours(-1) });
        var live = await store.CreateAsync(new() { OwnerId = "owner" });
        var cleanup = Assert.IsType<PostgresChatHistoryCleanupService>(Assert.Single(provider.GetServices<IHostedService>()));

        await cleanup.StartAsync(CancellationToken.None);
        try
        {
            // Waits for the sweep to happen at all; no assumption on how fast.
            for (var attempt = 0; attempt < 600 && await db.ScalarAsync<long>($"SELECT count(*) FROM {db.Sessions} WHERE id = @id", ("id", expired.Id)) > 0; attempt++)
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            await cleanup.StopAsync(CancellationToken.None);
        }

        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM {db.Sessions} WHERE id = @id", ("id", expired.Id)));
        Assert.NotNull(await store.GetAsync(live.Id));
    }
}
