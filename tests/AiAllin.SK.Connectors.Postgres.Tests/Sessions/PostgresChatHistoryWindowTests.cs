using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.Postgres.Sessions;
using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Postgres.Tests.Sessions;

/// <summary>
/// Windowed reads with the earlier system messages on what the shared conformance suite cannot reach: rows written
/// before the schema marked system messages, and reads inside a caller's transaction.
/// </summary>
public sealed class PostgresChatHistoryWindowTests
{
    private static readonly ChatHistoryReadOptions Window = new() { MaxMessages = 2, IncludeEarlierSystemMessages = true };

    [PostgresFact]
    public async Task RowsWrittenBeforeTheMarkMigration_StillGiveTheirSystemMessages()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        await store.AppendAsync(session.Id, History("old"));

        // Back to the first schema version, as a database created before the marks existed, then migrate again.
        await db.ExecuteAsync($"""
            DROP INDEX "{db.Schema}".chat_messages_pinned_idx;
            ALTER TABLE {db.Messages} DROP COLUMN pinned;
            ALTER TABLE {db.Sessions} DROP COLUMN unmarked_through;
            DELETE FROM "{db.Schema}".chat_migrations WHERE version > 1;
            """);
        Assert.Equal(ChatHistoryMigrations.LatestVersion - 1, await ChatHistoryMigrations.ApplyAsync(db.DataSource, new ChatTableNames(db.Schema, "chat_"), CancellationToken.None));
        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM {db.Messages} WHERE pinned"));
        await store.AppendAsync(session.Id, History("new"));

        var read = await store.GetAsync(session.Id, Window);

        Assert.Equal(["old rules", "old developer", "new rules", "new developer"], read!.EarlierSystemMessages.Select(m => m.Text));
        Assert.Equal(["new 3", "new 4"], read.Messages.Select(m => m.Text));
        Assert.Equal(["old rules", "old developer", "new rules", "new developer"], (await store.GetAsync(session.Id))!.Messages
            .Where(ChatSession.IsSystemMessage).Select(m => m.Text));
    }

    [PostgresFact]
    public async Task AppendsMarkSystemMessagesOnly()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });

        await store.AppendAsync(session.Id, History("a"));

        Assert.Equal("1,3", await db.ScalarAsync<string>($"SELECT string_agg(seq::text, ',' ORDER BY seq) FROM {db.Messages} WHERE pinned"));
    }

    [PostgresTheory]
    [InlineData(1)]
    [InlineData(100)]
    public async Task WithTransaction_ReadsTheEarlierSystemMessagesInItsSnapshot(int padding)
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        await store.AppendAsync(session.Id, History("a"));

        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var chat = store.WithTransaction(transaction);
        await chat.AppendAsync(session.Id, [new ChatMessage(ChatRole.System, "in-tx rules"), .. Enumerable.Range(0, padding).Select(i => new ChatMessage(ChatRole.User, $"pad {i}")), new ChatMessage(ChatRole.User, "last")]);

        var inside = await chat.GetAsync(session.Id, Window);
        var outside = await store.GetAsync(session.Id, Window);

        Assert.Equal(["a rules", "a developer", "in-tx rules"], inside!.EarlierSystemMessages.Select(m => m.Text));
        Assert.Equal([$"pad {padding - 1}", "last"], inside.Messages.Select(m => m.Text));
        Assert.Equal(["a rules", "a developer"], outside!.EarlierSystemMessages.Select(m => m.Text));
        Assert.Equal(["a 3", "a 4"], outside.Messages.Select(m => m.Text));
        Assert.Empty((await chat.GetAsync(session.Id, new() { MaxMessages = 2 }))!.EarlierSystemMessages);
    }

    // system, user, developer, assistant, user, assistant.
    private static List<ChatMessage> History(string prefix) =>
    [
        new(ChatRole.System, $"{prefix} rules"),
        new(ChatRole.User, $"{prefix} 1"),
        new(new ChatRole("developer"), $"{prefix} developer"),
        new(ChatRole.Assistant, $"{prefix} 2"),
        new(ChatRole.User, $"{prefix} 3"),
        new(ChatRole.Assistant, $"{prefix} 4"),
    ];
}
