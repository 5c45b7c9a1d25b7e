using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.Postgres.Sessions;
using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.AI;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres.Tests.Sessions;

public sealed class PostgresChatHistoryFailureTests
{
    [PostgresTheory]
    [InlineData(3)]
    [InlineData(100)]
    public async Task Append_WhenItsConnectionIsKilledMidway_LeavesTheSessionUnchanged(int batchSize)
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        await store.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, "one"), new ChatMessage(ChatRole.Assistant, "two")]);

        // An uncommitted row at sequence 4 makes the append stop midway, holding the session row lock with message 3
        // written: it waits on that key until its backend is killed.
        await using var blocker = await db.DataSource.OpenConnectionAsync();
        await using var blockerTransaction = await blocker.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand($"INSERT INTO {db.Messages} (session_id, seq, message, created_at) VALUES (@id, 4, '{{}}', now())", blocker, blockerTransaction))
        {
            insert.Parameters.AddWithValue("id", session.Id);
            await insert.ExecuteNonQueryAsync();
        }

        var append = store.AppendAsync(session.Id, Enumerable.Range(0, batchSize).Select(i => new ChatMessage(ChatRole.User, $"lost {i}")).ToList());
        var victim = await WaitForBlockedBackendAsync(db, blocker.ProcessID);
        Assert.True(await db.ScalarAsync<bool>("SELECT pg_terminate_backend(@pid)", ("pid", victim)));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => append);
        await blockerTransaction.RollbackAsync();

        var read = (await store.GetAsync(session.Id))!;
        Assert.Equal(2, read.Info.Version);
        Assert.Equal(["one", "two"], read.Messages.Select(m => m.Text));
        Assert.Equal([1L, 2L], await db.SequencesAsync(session.Id));
        Assert.Equal(3, await store.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, "three")]));
    }

    [PostgresFact]
    public async Task Append_StoresEachMessageAsCompactJson()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        var message = new ChatMessage(ChatRole.Assistant, [new TextContent("hi"), new FunctionCallContent("c1", "f", new Dictionary<string, object?> { ["a"] = 1 })]);

        await store.AppendAsync(session.Id, [message]);

        var stored = await db.ScalarAsync<string>($"SELECT message::text FROM {db.Messages} WHERE session_id = @id", ("id", session.Id));
        Assert.Equal(ChatMessageSerializer.Serialize(message), stored);
        Assert.DoesNotContain('\n', stored!);
    }

    [PostgresFact]
    public async Task Append_BatchWithAnOversizedMessage_ThrowsNamingItAndKeepsHistory()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore(new ChatHistoryStoreOptions { MaxMessageBytes = 1024 });
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        await store.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, "kept")]);
        var batch = Enumerable.Range(0, 100).Select(i => new ChatMessage(ChatRole.User, i == 99 ? new string('x', 2000) : $"small {i}")).ToList();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(session.Id, batch));

        Assert.Equal("messages", ex.ParamName);
        Assert.Contains("Message 99", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["kept"], (await store.GetAsync(session.Id))!.Messages.Select(m => m.Text));
        Assert.Equal([1L], await db.SequencesAsync(session.Id));
    }

    [PostgresTheory]
    [InlineData("")]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    public async Task Append_WithAnInvalidSessionId_ThrowsBeforeTouchingTheDatabase(string id)
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        await store.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, "kept")]);

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendAsync(id, [new ChatMessage(ChatRole.User, "x")]));

        Assert.Equal("sessionId", ex.ParamName);
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM {db.Messages}"));
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM {db.Sessions}"));
    }

    [PostgresFact]
    public async Task Append_OneThousandMessagesInOneBatch_ReadsBackInOrderWithPaging()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });

        var version = await store.AppendAsync(session.Id, Enumerable.Range(1, 1000).Select(i => new ChatMessage(i % 2 == 1 ? ChatRole.User : ChatRole.Assistant, $"{i}")));

        Assert.Equal(1000, version);
        var all = (await store.GetAsync(session.Id))!;
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => $"{i}"), all.Messages.Select(m => m.Text));
        var tail = (await store.GetAsync(session.Id, new() { AfterVersion = 900, MaxMessages = 10 }))!;
        Assert.Equal(991, tail.FirstSequence);
        Assert.Equal(Enumerable.Range(991, 10).Select(i => $"{i}"), tail.Messages.Select(m => m.Text));
    }

    [Theory]
    [InlineData("Public", "chat_")]
    [InlineData("bad-name", "chat_")]
    [InlineData("s\"; DROP TABLE x; --", "chat_")]
    [InlineData("public", "Chat")]
    [InlineData("public", "chat prefix")]
    public void Constructor_WithAnInvalidSchemaOrPrefix_ThrowsNamingTheSetting(string schema, string prefix)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new PostgresChatHistoryStore("Host=127.0.0.1", new PostgresChatHistoryStoreOptions { Schema = schema, TablePrefix = prefix }));

        Assert.Contains(schema != "public" ? "Schema" : "TablePrefix", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<int> WaitForBlockedBackendAsync(ChatTestDatabase db, int blockerPid)
    {
        // Polls for liveness, not speed: the append is found as soon as it waits on the blocker's lock.
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var pid = await db.ScalarAsync<int?>(
                "SELECT pid FROM pg_stat_activity WHERE @blocker = ANY(pg_blocking_pids(pid)) LIMIT 1",
                ("blocker", blockerPid));
            if (pid is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The append never waited on the blocking row.");
    }
}
