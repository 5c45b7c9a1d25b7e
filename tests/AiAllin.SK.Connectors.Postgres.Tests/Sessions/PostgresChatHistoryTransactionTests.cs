using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Postgres.Tests.Sessions;

public sealed class PostgresChatHistoryTransactionTests
{
    [PostgresTheory]
    [InlineData(2)]
    [InlineData(100)]
    public async Task WithTransaction_Committed_KeepsChatAndTheCallersOtherWrites(int batchSize)
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var memories = await CreateMemoriesTableAsync(db);
        var existing = await store.CreateAsync(new() { OwnerId = "owner" });
        await store.AppendAsync(existing.Id, [new ChatMessage(ChatRole.User, "before")]);

        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var chat = store.WithTransaction(transaction);
            var created = await chat.CreateAsync(new() { Id = "in-tx", OwnerId = "owner" });
            await chat.AppendAsync(created.Id, Batch(batchSize));
            await chat.AppendAsync(existing.Id, Batch(batchSize), expectedVersion: 1);
            await InsertMemoryAsync(connection, transaction, memories);
            Assert.Equal(batchSize, (await chat.GetAsync("in-tx"))!.Info.Version);
            Assert.Null(await store.GetAsync("in-tx"));

            await transaction.CommitAsync();
        }

        Assert.Equal(batchSize, (await store.GetAsync("in-tx"))!.Messages.Count);
        Assert.Equal(1 + batchSize, (await store.GetAsync(existing.Id))!.Info.Version);
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM {memories}"));
    }

    [PostgresTheory]
    [InlineData(2)]
    [InlineData(100)]
    public async Task WithTransaction_RolledBack_DiscardsChatAndTheCallersOtherWrites(int batchSize)
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var memories = await CreateMemoriesTableAsync(db);
        var existing = await store.CreateAsync(new() { OwnerId = "owner" });
        await store.AppendAsync(existing.Id, [new ChatMessage(ChatRole.User, "before")]);

        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var chat = store.WithTransaction(transaction);
            await chat.CreateAsync(new() { Id = "in-tx", OwnerId = "owner" });
            await chat.AppendAsync("in-tx", Batch(batchSize));
            await chat.AppendAsync(existing.Id, Batch(batchSize));
            Assert.True(await chat.SetExpiryAsync(existing.Id, DateTimeOffset.UtcNow.AddHours(-1)));
            await InsertMemoryAsync(connection, transaction, memories);

            await transaction.RollbackAsync();
        }

        Assert.Null(await store.GetAsync("in-tx"));
        var read = (await store.GetAsync(existing.Id))!;
        Assert.Equal(1, read.Info.Version);
        Assert.Null(read.Info.ExpiresAt);
        Assert.Equal(["before"], read.Messages.Select(m => m.Text));
        Assert.Equal([1L], await db.SequencesAsync(existing.Id));
        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM {memories}"));
    }

    [PostgresFact]
    public async Task WithTransaction_AfterTheTransactionCompleted_Throws()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var chat = store.WithTransaction(transaction);
        await transaction.CommitAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => chat.CreateAsync(new() { Id = "late", OwnerId = "owner" }));
        Assert.Null(await store.GetAsync("late"));
    }

    private static List<ChatMessage> Batch(int size) =>
        [.. Enumerable.Range(0, size).Select(i => new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, $"in transaction {i}"))];

    private static async Task<string> CreateMemoriesTableAsync(ChatTestDatabase db)
    {
        var table = $"\"{db.Schema}\".memories";
        await db.ExecuteAsync($"CREATE TABLE {table} (id serial PRIMARY KEY, text text NOT NULL)");
        return table;
    }

    private static async Task InsertMemoryAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, string table)
    {
        await using var command = new Npgsql.NpgsqlCommand($"INSERT INTO {table} (text) VALUES ('the user prefers Celsius')", connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}
