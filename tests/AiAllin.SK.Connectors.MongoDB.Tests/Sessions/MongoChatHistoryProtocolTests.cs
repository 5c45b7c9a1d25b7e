using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.MongoDB.Sessions;
using Microsoft.Extensions.AI;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests.Sessions;

/// <summary>
/// The commands of the append protocol (claim at the version read, insert, commit; take back a dead writer's claim;
/// undo a failed insert) and of reads, as the store sends them to the driver, with scripted server answers.
/// </summary>
public sealed class MongoChatHistoryProtocolTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private readonly FakeMongo _fake = new();

    private MongoChatHistoryStore Store => new(_fake.Database, new ChatHistoryStoreOptions { TimeProvider = new FixedClock(Now) });

    [Fact]
    public async Task Append_ClaimsAtTheVersionRead_InsertsTheBatch_ThenCommits()
    {
        _fake.FindResults.Enqueue([Session(version: 2)]);

        var version = await Store.AppendAsync("s1", [new ChatMessage(ChatRole.User, "a"), new ChatMessage(ChatRole.Assistant, "b")]);

        Assert.Equal(4, version);
        var calls = Writes();
        Assert.Equal(
            [("chat_sessions", "FindAsync"), ("chat_sessions", "UpdateOneAsync"), ("chat_messages", "InsertManyAsync"), ("chat_sessions", "UpdateOneAsync")],
            calls.Select(c => (c.Collection, c.Method)));

        var claimFilter = DriverRendering.Render((FilterDefinition<BsonDocument>)calls[1].Args[0]!);
        Assert.Equal(
            BsonDocument.Parse("{ $and: [ { _id: { $eq: 's1' } }, { expiresAt: { $not: { $lte: ISODate('2026-01-02T03:04:05.678Z') } } }, { version: { $eq: NumberLong(2) }, pending: { $eq: null } } ] }"),
            claimFilter);
        var token = Update(calls[1])["$set"]["pending"]["token"].AsString;

        var inserted = ((IEnumerable<BsonDocument>)calls[2].Args[0]!).ToList();
        Assert.Equal([3L, 4L], inserted.Select(d => d["seq"].AsInt64));
        Assert.All(inserted, d => Assert.Equal(("s1", token), (d["session"].AsString, d["batch"].AsString)));
        Assert.Equal("b", ChatMessageSerializer.Deserialize(inserted[1]["payload"].AsByteArray).Text);
        Assert.Equal([false, false], inserted.Select(d => d["system"].AsBoolean));
        Assert.True(((InsertManyOptions)calls[2].Args[1]!).IsOrdered);

        Assert.Equal(
            BsonDocument.Parse($"{{ $and: [ {{ _id: {{ $eq: 's1' }} }}, {{ 'pending.token': {{ $eq: '{token}' }} }} ] }}"),
            DriverRendering.Render((FilterDefinition<BsonDocument>)calls[3].Args[0]!));
        Assert.Equal(
            BsonDocument.Parse("{ $set: { version: NumberLong(4), updatedAt: ISODate('2026-01-02T03:04:05.678Z') }, $unset: { pending: '' } }"),
            Update(calls[3]));
    }

    [Fact]
    public async Task StaleExpectedVersion_ThrowsWithBothVersions_AndWritesNothing()
    {
        _fake.FindResults.Enqueue([Session(version: 3)]);

        var error = await Assert.ThrowsAsync<ChatHistoryConcurrencyException>(() => Store.AppendAsync("s1", [new ChatMessage(ChatRole.User, "a")], expectedVersion: 2));

        Assert.Equal((2, 3), (error.ExpectedVersion, error.ActualVersion));
        Assert.Equal(["FindAsync"], Writes().Select(c => c.Method));
    }

    [Fact]
    public async Task LostClaim_RereadsTheSession_AndAppendsAfterTheWinner()
    {
        _fake.FindResults.Enqueue([Session(version: 2)]);
        _fake.FindResults.Enqueue([Session(version: 5)]);
        _fake.UpdateResults.Enqueue(0);

        var version = await Store.AppendAsync("s1", [new ChatMessage(ChatRole.User, "a")]);

        Assert.Equal(6, version);
        var inserted = ((IEnumerable<BsonDocument>)Writes().Single(c => c.Method == "InsertManyAsync").Args[0]!).Single();
        Assert.Equal(6L, inserted["seq"].AsInt64);
    }

    [Fact]
    public async Task ClaimOfAWriterThatDied_IsTakenBack_ClaimFirstThenItsMessages()
    {
        var dead = Session(version: 2);
        dead["pending"] = new BsonDocument { { "token", "dead" }, { "at", new BsonDateTime(Now.UtcDateTime.AddMinutes(-1)) } };
        _fake.FindResults.Enqueue([dead]);
        _fake.FindResults.Enqueue([Session(version: 2)]);

        Assert.Equal(3, await Store.AppendAsync("s1", [new ChatMessage(ChatRole.User, "a")]));

        var calls = Writes();
        Assert.Equal(["FindAsync", "UpdateOneAsync", "DeleteManyAsync", "FindAsync", "UpdateOneAsync", "InsertManyAsync", "UpdateOneAsync"], calls.Select(c => c.Method));
        Assert.Equal(
            BsonDocument.Parse("{ $and: [ { _id: { $eq: 's1' } }, { 'pending.token': { $eq: 'dead' } } ] }"),
            DriverRendering.Render((FilterDefinition<BsonDocument>)calls[1].Args[0]!));
        Assert.Equal(BsonDocument.Parse("{ $unset: { pending: '' } }"), Update(calls[1]));
        Assert.Equal(BsonDocument.Parse("{ batch: { $eq: 'dead' } }"), DriverRendering.Render((FilterDefinition<BsonDocument>)calls[2].Args[0]!));
    }

    [Fact]
    public async Task FailedInsert_ReleasesTheClaim_DeletesThePartialBatch_AndSaysWhy()
    {
        _fake.FindResults.Enqueue([Session(version: 0)]);
        _fake.InsertFailure = new MongoConnectionException(DriverRendering.Connection, "connection reset");

        var error = await Assert.ThrowsAsync<ChatHistoryException>(() => Store.AppendAsync("s1", [new ChatMessage(ChatRole.User, "a")]));

        Assert.Contains("can be retried", error.Message, StringComparison.Ordinal);
        var calls = Writes();
        Assert.Equal(["FindAsync", "UpdateOneAsync", "InsertManyAsync", "UpdateOneAsync", "DeleteManyAsync"], calls.Select(c => c.Method));
        var token = Update(calls[1])["$set"]["pending"]["token"].AsString;
        Assert.Equal(BsonDocument.Parse($"{{ batch: {{ $eq: '{token}' }} }}"), DriverRendering.Render((FilterDefinition<BsonDocument>)calls[4].Args[0]!));
    }

    [Fact]
    public async Task CommitAfterTheClaimWasTakenBack_DeletesItsBatch_AndReportsNothingAppended()
    {
        _fake.FindResults.Enqueue([Session(version: 1)]);
        _fake.UpdateResults.Enqueue(1);
        _fake.UpdateResults.Enqueue(0);

        var error = await Assert.ThrowsAsync<ChatHistoryException>(() => Store.AppendAsync("s1", [new ChatMessage(ChatRole.User, "a")]));

        Assert.Contains("nothing was appended", error.Message, StringComparison.Ordinal);
        Assert.Equal("DeleteManyAsync", Writes()[^1].Method);
    }

    [Fact]
    public async Task Get_ReadsMessagesUpToTheVersion_InSequenceOrder()
    {
        _fake.FindResults.Enqueue([Session(version: 3)]);
        _fake.FindResults.Enqueue([Message(2, "b"), Message(3, "c")]);

        var session = await Store.GetAsync("s1", new ChatHistoryReadOptions { AfterVersion = 1 });

        Assert.Equal(["b", "c"], session!.Messages.Select(m => m.Text));
        Assert.Equal(2, session.FirstSequence);
        var find = Writes()[1];
        Assert.Equal(BsonDocument.Parse("{ session: { $eq: 's1' }, seq: { $gt: NumberLong(1), $lte: NumberLong(3) } }"), DriverRendering.Render((FilterDefinition<BsonDocument>)find.Args[0]!));
        Assert.Equal(BsonDocument.Parse("{ seq: 1 }"), DriverRendering.Render(((FindOptions<BsonDocument, BsonDocument>)find.Args[1]!).Sort));
    }

    [Fact]
    public async Task Append_MarksSystemAndDeveloperMessages()
    {
        _fake.FindResults.Enqueue([Session(version: 0)]);

        await Store.AppendAsync("s1", [new ChatMessage(ChatRole.System, "rules"), new ChatMessage(ChatRole.User, "a"), new ChatMessage(new ChatRole("developer"), "brief")]);

        var inserted = ((IEnumerable<BsonDocument>)Writes().Single(c => c.Method == "InsertManyAsync").Args[0]!).ToList();
        Assert.Equal([true, false, true], inserted.Select(d => d["system"].AsBoolean));
    }

    [Fact]
    public async Task Get_WithEarlierSystemMessages_ReadsTheWindow_ThenTheMarkedOrUnmarkedMessagesBeforeIt()
    {
        _fake.FindResults.Enqueue([Session(version: 10)]);
        _fake.FindResults.Enqueue([Message(9, "i"), Message(10, "j")]);

        // A marked system message, and a message written before the mark existed whose role decides.
        _fake.FindResults.Enqueue([Message(1, "rules", ChatRole.System), Message(4, "d")]);

        var session = await Store.GetAsync("s1", new ChatHistoryReadOptions { AfterVersion = 0, MaxMessages = 2, IncludeEarlierSystemMessages = true });

        Assert.Equal(["rules"], session!.EarlierSystemMessages.Select(m => m.Text));
        Assert.Equal(["i", "j"], session.Messages.Select(m => m.Text));
        var earlier = Writes()[2];
        Assert.Equal(
            BsonDocument.Parse("{ session: { $eq: 's1' }, seq: { $gt: NumberLong(0), $lte: NumberLong(8) }, system: { $ne: false } }"),
            DriverRendering.Render((FilterDefinition<BsonDocument>)earlier.Args[0]!));
        Assert.Equal(BsonDocument.Parse("{ seq: 1 }"), DriverRendering.Render(((FindOptions<BsonDocument, BsonDocument>)earlier.Args[1]!).Sort));
    }

    [Fact]
    public async Task Get_WithAMessageMissing_SaysTheSessionWasChangedOutsideTheStore()
    {
        _fake.FindResults.Enqueue([Session(version: 3)]);
        _fake.FindResults.Enqueue([Message(1, "a"), Message(3, "c")]);

        var error = await Assert.ThrowsAsync<ChatHistoryException>(() => Store.GetAsync("s1"));

        Assert.Contains("outside the store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_OfAMissingOrExpiredSession_IsNull()
    {
        _fake.FindResults.Enqueue([]);
        Assert.Null(await Store.GetAsync("s1"));
    }

    private List<(string Collection, string Method, object?[] Args)> Writes() => [.. _fake.Log.Where(c => !c.Method.StartsWith("Indexes.", StringComparison.Ordinal))];

    private static BsonDocument Update((string Collection, string Method, object?[] Args) call)
        => ((BsonDocumentUpdateDefinition<BsonDocument>)call.Args[1]!).Document;

    private static BsonDocument Session(long version) => new()
    {
        { "_id", "s1" },
        { "owner", "o" },
        { "tenant", BsonNull.Value },
        { "title", BsonNull.Value },
        { "metadata", new BsonArray() },
        { "createdAt", new BsonDateTime(Now.UtcDateTime) },
        { "updatedAt", new BsonDateTime(Now.UtcDateTime) },
        { "expiresAt", BsonNull.Value },
        { "version", version },
    };

    private static BsonDocument Message(long sequence, string text, ChatRole? role = null) => new()
    {
        { "seq", sequence },
        { "payload", new BsonBinaryData(ChatMessageSerializer.SerializeToUtf8Bytes(new ChatMessage(role ?? ChatRole.User, text))) },
    };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
