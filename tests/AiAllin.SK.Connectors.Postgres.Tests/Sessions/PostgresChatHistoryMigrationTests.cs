using AiAllin.SK.Connectors.Postgres.Sessions;
using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Postgres.Tests.Sessions;

public sealed class PostgresChatHistoryMigrationTests
{
    [PostgresFact]
    public async Task FirstUse_ByManyStoresAtOnce_MigratesOnceAndEveryStoreWorks()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        var stores = Enumerable.Range(0, 6).Select(_ => db.CreateStore()).ToList();

        var sessions = await Task.WhenAll(stores.Select(s => s.CreateAsync(new() { OwnerId = "owner" })));
        await Task.WhenAll(stores.Select((s, i) => s.AppendAsync(sessions[i].Id, [new ChatMessage(ChatRole.User, $"from store {i}")])));

        Assert.Equal(ChatHistoryMigrations.LatestVersion, await db.ScalarAsync<long>($"SELECT count(*) FROM \"{db.Schema}\".chat_migrations"));
        Assert.Equal(ChatHistoryMigrations.LatestVersion, await db.ScalarAsync<int>($"SELECT max(version) FROM \"{db.Schema}\".chat_migrations"));
        Assert.Equal(6L, await db.ScalarAsync<long>($"SELECT count(*) FROM {db.Messages}"));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Migrations_AppliedAgain_ApplyNothingAndKeepData()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        await store.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, "kept")]);
        var names = new ChatTableNames(db.Schema, "chat_");

        var applied = await ChatHistoryMigrations.ApplyAsync(db.DataSource, names, CancellationToken.None);

        Assert.Equal(0, applied);
        await using var second = db.CreateStore();
        await second.EnsureSchemaAsync();
        Assert.Equal(["kept"], (await second.GetAsync(session.Id))!.Messages.Select(m => m.Text));
    }

    [PostgresFact]
    public async Task FirstUse_InASchemaThatDoesNotExist_CreatesItWithTheTablesAndIndexes()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        var schema = db.Schema + "_new";
        try
        {
            await using var store = new PostgresChatHistoryStore(db.DataSource, new PostgresChatHistoryStoreOptions { Schema = schema, TablePrefix = "app_" });

            await store.EnsureSchemaAsync();

            var tables = await db.ScalarAsync<string>(
                "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = @schema", ("schema", schema));
            Assert.Equal("app_messages,app_migrations,app_sessions", tables);
            var indexes = await db.ScalarAsync<string>(
                "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = @schema AND indexname LIKE 'app_sessions_%idx'",
                ("schema", schema));
            Assert.Equal("app_sessions_expiry_idx,app_sessions_owner_idx", indexes);
        }
        finally
        {
            await db.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        }
    }
}
