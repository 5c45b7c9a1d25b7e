using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class ExpiryTests
{
    [PostgresFact]
    public async Task ExpiredRecords_AreInvisibleToEveryReadAtOnce()
    {
        await using var fixture = await PostgresFixture.CreateAsync("ttl");
        var sessions = await SessionsAsync(fixture);
        var past = DateTimeOffset.UtcNow.AddMinutes(-1);
        await sessions.UpsertAsync(
        [
            new Session { Id = 1, Text = "alive", ExpiresAt = DateTimeOffset.UtcNow.AddHours(1), Vector = new([1, 0]) },
            new Session { Id = 2, Text = "expired", ExpiresAt = past, Vector = new([1, 0.1f]) },
            new Session { Id = 3, Text = "forever", ExpiresAt = null, Vector = new([0, 1]) },
        ]);

        Assert.Null(await sessions.GetAsync(2));
        Assert.Equal([1, 3], await sessions.GetAsync([1L, 2L, 3L]).Select(s => s.Id).OrderBy(i => i).ToListAsync());
        Assert.Equal([1, 3], await sessions.GetAsync(_ => true, 10).Select(s => s.Id).OrderBy(i => i).ToListAsync());
        Assert.Equal([1, 3], await sessions.SearchAsync(new ReadOnlyMemory<float>([1, 0]), 10).Select(r => r.Record.Id).ToListAsync());
        Assert.Equal(2, await sessions.HybridSearchAsync(new ReadOnlyMemory<float>([1, 0]), ["expired"], 10).CountAsync());
        Assert.Equal(3, await fixture.CountAsync("sessions"));
    }

    [PostgresFact]
    public async Task PurgeExpired_DeletesOnlyExpiredRecords()
    {
        await using var fixture = await PostgresFixture.CreateAsync("ttl");
        var sessions = await SessionsAsync(fixture);
        await sessions.UpsertAsync(Enumerable.Range(1, 30).Select(i => new Session
        {
            Id = i, Text = $"s{i}", ExpiresAt = i % 3 == 0 ? DateTimeOffset.UtcNow.AddSeconds(-5) : DateTimeOffset.UtcNow.AddHours(1), Vector = new([i, 1]),
        }));

        Assert.Equal(10, await sessions.PurgeExpiredAsync());
        Assert.Equal(0, await sessions.PurgeExpiredAsync());
        Assert.Equal(20, await fixture.CountAsync("sessions"));
    }

    [PostgresFact]
    public async Task CollectionTimeToLive_ExpiresRecordsAfterItAndTheHostedServicePurgesThem()
    {
        await using var fixture = await PostgresFixture.CreateAsync("ttl");
        var articles = await fixture.ArticlesAsync(options: new() { TimeToLive = TimeSpan.FromSeconds(1) });
        var permanent = await fixture.ArticlesAsync("permanent");
        await articles.UpsertAsync(Articles.Make(1, "short-lived", [1, 0, 0, 0]));
        await permanent.UpsertAsync(Articles.Make(1, "kept", [1, 0, 0, 0]));
        Assert.NotNull(await articles.GetAsync(1));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Null(await articles.GetAsync(1));

        var services = new ServiceCollection().AddSingleton(fixture.Store).AddPostgresExpiryCleanup(TimeSpan.FromMilliseconds(100));
        await using var provider = services.BuildServiceProvider();
        var cleanup = provider.GetRequiredService<IHostedService>();
        await cleanup.StartAsync(CancellationToken.None);
        for (var i = 0; i < 100 && await fixture.CountAsync("articles") > 0; i++)
        {
            await Task.Delay(50);
        }

        await cleanup.StopAsync(CancellationToken.None);
        Assert.Equal(0, await fixture.CountAsync("articles"));
        Assert.Equal(1, await fixture.CountAsync("permanent"));
    }

    [PostgresFact]
    public async Task AddingTimeToLive_ToAnExistingCollection_MigratesIt()
    {
        await using var fixture = await PostgresFixture.CreateAsync("ttl");
        var plain = await fixture.ArticlesAsync();
        await plain.UpsertAsync(Articles.Make(1, "old", [1, 0, 0, 0]));

        var expiring = await fixture.ArticlesAsync(options: new() { TimeToLive = TimeSpan.FromHours(1) });
        await expiring.UpsertAsync(Articles.Make(2, "new", [0, 1, 0, 0]));

        Assert.Equal("old", (await expiring.GetAsync(1))?.Title);
        Assert.Equal("new", (await expiring.GetAsync(2))?.Title);
        Assert.Equal(2L, await fixture.Server.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".__aiallin_migrations"));
    }

    [PostgresFact]
    public async Task ExpiryProperty_OfTheWrongType_IsRejected()
    {
        await using var fixture = await PostgresFixture.CreateAsync("ttl");

        Assert.Throws<ArgumentException>(() => fixture.Store.GetCollection<long, Article>("articles", new PostgresCollectionOptions { ExpiryProperty = nameof(Article.Title) }));
    }

    private static async Task<PostgresCollection<long, Session>> SessionsAsync(PostgresFixture fixture)
    {
        var sessions = fixture.Store.GetCollection<long, Session>("sessions", new PostgresCollectionOptions { ExpiryProperty = nameof(Session.ExpiresAt) });
        await sessions.EnsureCollectionExistsAsync();
        return sessions;
    }

    public sealed class Session
    {
        [VectorStoreKey]
        public long Id { get; set; }

        [VectorStoreData(IsFullTextIndexed = true)]
        public string Text { get; set; } = string.Empty;

        [VectorStoreData]
        public DateTimeOffset? ExpiresAt { get; set; }

        [VectorStoreVector(2)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }
}
