using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class BulkWriteTests
{
    [PostgresFact]
    public async Task UpsertBatch_ConnectionKilledMidCopy_LeavesTableUnchanged()
    {
        await using var fixture = await PostgresFixture.CreateAsync("bulk", applicationName: "aiallin-kill-test");
        var articles = await fixture.ArticlesAsync();
        var existing = Enumerable.Range(1, 100).Select(i => Articles.Make(i, $"old {i}", Articles.Vector(i, 4))).ToList();
        await articles.UpsertAsync(existing);

        // A row trigger that sleeps on one record in the middle of the batch, so the COPY is provably half done when killed.
        await fixture.Server.ExecuteAsync($"""
            CREATE FUNCTION "{fixture.Schema}".stall() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW."Id" = 2500 THEN PERFORM pg_sleep(30); END IF; RETURN NEW; END $$;
            CREATE TRIGGER stall BEFORE INSERT ON "{fixture.Schema}"."articles" FOR EACH ROW EXECUTE FUNCTION "{fixture.Schema}".stall();
            """);
        var batch = Enumerable.Range(50, 5000).Select(i => Articles.Make(i, $"new {i}", Articles.Vector(-i, 4), version: 2)).ToList();

        var upsert = articles.UpsertAsync(batch);
        var killed = await KillWhenSleepingAsync(fixture);
        var exception = await Record.ExceptionAsync(() => upsert);

        Assert.True(killed, "The COPY never reached the stalled row.");
        Assert.IsType<VectorStoreException>(exception);
        Assert.Equal(100, await fixture.CountAsync("articles"));
        var stored = await articles.GetAsync(existing.Select(e => e.Id), new() { IncludeVectors = true }).ToListAsync();
        Assert.All(stored, s => Assert.Equal($"old {s.Id}", s.Title));
        Assert.All(stored, s => Assert.Equal(Articles.Vector((int)s.Id, 4), s.Embedding.ToArray()));
    }

    [PostgresFact]
    public async Task ConcurrentUpsertsOfTheSameKeys_EndWithOneCompleteRecordEach()
    {
        await using var fixture = await PostgresFixture.CreateAsync("bulk");
        var articles = await fixture.ArticlesAsync();
        const int Writers = 8;
        const int Keys = 300;

        // Each writer writes every key, in its own order, with its id in every field; a torn record would mix writers.
        var exceptions = await Task.WhenAll(Enumerable.Range(1, Writers).Select(async writer =>
        {
            await Task.Yield();
            var keys = Enumerable.Range(1, Keys).OrderBy(k => (k * 7919 * writer) % Keys).ToList();
            return await Record.ExceptionAsync(async () =>
            {
                for (var round = 0; round < 3; round++)
                {
                    await articles.UpsertAsync(keys.Select(k => Articles.Make(k, $"writer {writer}", [writer, 1, 0, 0], version: writer)));
                    await articles.UpsertAsync(Articles.Make(keys[round], $"writer {writer}", [writer, 1, 0, 0], version: writer));
                }
            });
        }));

        Assert.All(exceptions, Assert.Null);
        Assert.Equal(Keys, await fixture.CountAsync("articles"));
        var stored = await articles.GetAsync(Enumerable.Range(1, Keys).Select(k => (long)k), new() { IncludeVectors = true }).ToListAsync();
        Assert.All(stored, s =>
        {
            Assert.Equal($"writer {s.Version}", s.Title);
            Assert.Equal([s.Version, 1f, 0, 0], s.Embedding.ToArray());
        });
    }

    [PostgresFact]
    public async Task UpsertBatch_WithRepeatedKey_KeepsTheLastRecord()
    {
        await using var fixture = await PostgresFixture.CreateAsync("bulk");
        var articles = await fixture.ArticlesAsync();

        await articles.UpsertAsync([Articles.Make(1, "first", [1, 0, 0, 0]), Articles.Make(2, "other", [0, 1, 0, 0]), Articles.Make(1, "last", [0, 0, 1, 0])]);

        Assert.Equal("last", (await articles.GetAsync(1))?.Title);
        Assert.Equal(2, await fixture.CountAsync("articles"));
    }

    [PostgresFact]
    public async Task UpsertBatch_OfTwentyThousand_RoundTrips()
    {
        await using var fixture = await PostgresFixture.CreateAsync("bulk");
        var articles = await fixture.ArticlesAsync();
        var records = Enumerable.Range(1, 20_000).Select(i => Articles.Make(i, $"t{i}", Articles.Vector(i, 4), version: i % 7)).ToList();

        await articles.UpsertAsync(records);
        await articles.UpsertAsync(records.Take(5000).Select(r => Articles.Make(r.Id, "updated", r.Embedding.ToArray(), r.Version)));

        Assert.Equal(20_000, await fixture.CountAsync("articles"));
        Assert.Equal(5000, await articles.GetAsync(a => a.Title == "updated", 100_000).CountAsync());
        var sample = await articles.GetAsync(12_345, new() { IncludeVectors = true });
        Assert.Equal(Articles.Vector(12_345, 4), sample!.Embedding.ToArray());
    }

    private static async Task<bool> KillWhenSleepingAsync(PostgresFixture fixture)
    {
        await using var admin = NpgsqlDataSource.Create(fixture.Server.ConnectionString);
        for (var attempt = 0; attempt < 400; attempt++)
        {
            await using var command = admin.CreateCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'aiallin-kill-test' AND wait_event = 'PgSleep'");
            if (await command.ExecuteScalarAsync() is true)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
