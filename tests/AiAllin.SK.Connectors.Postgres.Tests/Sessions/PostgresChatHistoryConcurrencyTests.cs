using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Postgres.Tests.Sessions;

public sealed class PostgresChatHistoryConcurrencyTests
{
    [PostgresFact]
    public async Task Append_SixteenWritersFiveHundredEach_KeepsEveryMessageInWriterOrderWithContiguousSequences()
    {
        const int Writers = 16, Appends = 500;
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        using var start = new SemaphoreSlim(0);

        var tasks = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.WaitAsync();
            for (var i = 0; i < Appends; i++)
            {
                await store.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, $"{w}:{i}")]);
            }
        })).ToArray();
        start.Release(Writers);
        await Task.WhenAll(tasks);

        var read = (await store.GetAsync(session.Id))!;
        Assert.Equal(Writers * Appends, read.Info.Version);
        Assert.Equal(Writers * Appends, read.Messages.Count);
        Assert.Equal(Enumerable.Range(1, Writers * Appends).Select(i => (long)i), await db.SequencesAsync(session.Id));
        Assert.Equal(Writers * Appends, read.Messages.Select(m => m.Text).Distinct().Count());
        var perWriter = read.Messages
            .Select(m => m.Text.Split(':'))
            .GroupBy(parts => int.Parse(parts[0]))
            .ToDictionary(g => g.Key, g => g.Select(parts => int.Parse(parts[1])).ToList());
        Assert.Equal(Writers, perWriter.Count);
        Assert.All(perWriter.Values, sequence => Assert.Equal(Enumerable.Range(0, Appends), sequence));
    }

    [PostgresTheory]
    [InlineData(1)]
    [InlineData(100)]
    public async Task Append_WithStaleExpectedVersion_ThrowsWithBothVersionsAndWritesNothing(int batchSize)
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        var readVersion = await store.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, "first")]);
        await store.AppendAsync(session.Id, [new ChatMessage(ChatRole.Assistant, "someone else's answer")], readVersion);

        var ex = await Assert.ThrowsAsync<ChatHistoryConcurrencyException>(() => store.AppendAsync(
            session.Id, Enumerable.Range(0, batchSize).Select(i => new ChatMessage(ChatRole.Assistant, $"late {i}")), readVersion));

        Assert.Equal(session.Id, ex.SessionId);
        Assert.Equal(1, ex.ExpectedVersion);
        Assert.Equal(2, ex.ActualVersion);
        var read = (await store.GetAsync(session.Id))!;
        Assert.Equal(2, read.Info.Version);
        Assert.Equal(["first", "someone else's answer"], read.Messages.Select(m => m.Text));
        Assert.Equal([1L, 2L], await db.SequencesAsync(session.Id));
    }

    [PostgresFact]
    public async Task Append_WithStaleExpectedVersion_LogsTheConflictWithBothVersions()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        var logs = new RecordingLoggerFactory();
        await using var store = new Postgres.Sessions.PostgresChatHistoryStore(db.DataSource, new() { Schema = db.Schema, LoggerFactory = logs });
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        await store.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, "first")]);

        await Assert.ThrowsAsync<ChatHistoryConcurrencyException>(() => store.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, "late")], expectedVersion: 0));

        Assert.Contains(logs.Entries, e => e.EventId.Id == Core.AiAllinEventIds.ChatHistoryAppended && e.Message.Contains("version 1", StringComparison.Ordinal));
        var conflict = Assert.Single(logs.Entries, e => e.EventId.Id == Core.AiAllinEventIds.ChatHistoryConcurrencyConflict);
        Assert.Contains($"{session.Id} expected version 0 but found 1", conflict.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Get_WhileWritersAppend_AlwaysReturnsTheMessagesOfTheVersionItReports()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await store.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, $"{w}:{i}a"), new ChatMessage(ChatRole.Assistant, $"{w}:{i}b")]);
            }
        })).ToList();

        for (var read = 0; read < 200; read++)
        {
            var all = (await store.GetAsync(session.Id))!;
            Assert.Equal(all.Info.Version, all.Messages.Count);
            Assert.Equal(1, all.FirstSequence);
            var last = (await store.GetAsync(session.Id, new() { MaxMessages = 3 }))!;
            Assert.Equal(Math.Min(3, last.Info.Version), last.Messages.Count);
            Assert.Equal(last.Info.Version - last.Messages.Count + 1, last.FirstSequence);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var final = (await store.GetAsync(session.Id))!;
        Assert.Equal(final.Info.Version, final.Messages.Count);
        Assert.All(Enumerable.Range(0, final.Messages.Count / 2), i => Assert.Equal(final.Messages[2 * i].Text[..^1], final.Messages[(2 * i) + 1].Text[..^1]));
    }

    [PostgresFact]
    public async Task Append_LargeConcurrentBatches_AreWrittenWholeAndNeverInterleaved()
    {
        // Batches at or above the COPY threshold take the locked path; mix them with single-message appends.
        const int Writers = 6, BatchesPerWriter = 5;
        var batchSize = Postgres.Sessions.PostgresChatHistoryStore.CopyThreshold + 10;
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore();
        var session = await store.CreateAsync(new() { OwnerId = "owner" });

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < BatchesPerWriter; b++)
            {
                var size = w % 2 == 0 ? batchSize : 1;
                await store.AppendAsync(session.Id, Enumerable.Range(0, size).Select(i => new ChatMessage(ChatRole.User, $"{w}:{b}:{i}")).ToList());
            }
        })));

        var texts = (await store.GetAsync(session.Id))!.Messages.Select(m => m.Text).ToList();
        Assert.Equal((Writers / 2 * BatchesPerWriter * batchSize) + (Writers / 2 * BatchesPerWriter), texts.Count);
        Assert.Equal(Enumerable.Range(1, texts.Count).Select(i => (long)i), await db.SequencesAsync(session.Id));
        for (var i = 0; i < texts.Count;)
        {
            var parts = texts[i].Split(':');
            var size = int.Parse(parts[0]) % 2 == 0 ? batchSize : 1;
            var prefix = $"{parts[0]}:{parts[1]}";
            Assert.Equal(Enumerable.Range(0, size).Select(k => $"{prefix}:{k}"), texts.Skip(i).Take(size));
            i += size;
        }
    }
}
