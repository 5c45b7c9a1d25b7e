using Microsoft.Extensions.VectorData;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// Batch writes: one unordered <c>bulkWrite</c> of <c>replaceOne</c> upserts (or <c>deleteOne</c>s), validated before
/// anything is sent, and a partial failure reported record by record with the driver's own exception types.
/// </summary>
public sealed class BulkWriteTests
{
    private readonly FakeMongo _fake = new();

    private MongoCollection<string, Article> Articles => new(_fake.Database, "articles");

    [Fact]
    public async Task Upsert_SendsOneUnorderedBulkWriteOfReplaceOneUpserts()
    {
        await Articles.UpsertAsync([Article("a", 1), Article("b", 2)]);

        var (method, args) = Assert.Single(_fake.Calls);
        Assert.Equal("BulkWriteAsync", method);
        Assert.False(((BulkWriteOptions)args[1]!).IsOrdered);
        var requests = ((IEnumerable<WriteModel<BsonDocument>>)args[0]!).Cast<ReplaceOneModel<BsonDocument>>().ToList();
        Assert.All(requests, r => Assert.True(r.IsUpsert));
        Assert.Equal(
            [BsonDocument.Parse("{ _id: { $eq: 'a' } }"), BsonDocument.Parse("{ _id: { $eq: 'b' } }")],
            requests.Select(r => DriverRendering.Render(r.Filter)));
        Assert.Equal(
            BsonDocument.Parse("{ _id: 'a', Title: 'title a', Views: 1, score_long: NumberLong(0), Tags: ['x'], Color: 0, ExpiresAt: null, Embedding: [1.0, 0.0, 0.0] }"),
            requests[0].Replacement);
    }

    [Fact]
    public async Task RepeatedKeys_AreCollapsed_TheLastRecordWins()
    {
        await Articles.UpsertAsync([Article("a", 1), Article("b", 2), Article("a", 3)]);

        var requests = ((IEnumerable<WriteModel<BsonDocument>>)_fake.Calls.Single().Args[0]!).Cast<ReplaceOneModel<BsonDocument>>().ToList();
        Assert.Equal(["a", "b"], requests.Select(r => r.Replacement["_id"].AsString));
        Assert.Equal(3, requests[0].Replacement["Views"].AsInt32);
    }

    [Fact]
    public async Task WrongDimension_FailsBeforeAnythingIsSent_NamingTheRecord()
    {
        var bad = Article("b", 2);
        bad.Embedding = new float[] { 1, 2 };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Articles.UpsertAsync([Article("a", 1), bad]));

        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Embedding", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task NullRecordOrNaN_FailsBeforeAnythingIsSent()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Articles.UpsertAsync([Article("a", 1), null!]));
        var nan = Article("n", 1);
        nan.Embedding = new float[] { float.NaN, 0, 0 };
        await Assert.ThrowsAsync<ArgumentException>(() => Articles.UpsertAsync([nan]));
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task PartialFailure_NamesTheRecordsWrittenAndTheRecordsRefused()
    {
        var requests = new List<WriteModel<BsonDocument>>();
        _fake.Failure = DriverRendering.BulkFailure(requests, [DriverRendering.BulkError(1, 11000, "E11000 duplicate key error collection: testdb.articles index: ix_unique_title")]);

        var error = await Assert.ThrowsAsync<MongoBatchWriteException>(() => Articles.UpsertAsync([Article("a", 1), Article("b", 2), Article("c", 3)]));

        Assert.Equal(["a", "c"], error.WrittenKeys);
        var failure = Assert.Single(error.Failures);
        Assert.Equal(("b", 1, 11000), (failure.Key, failure.Index, failure.Code));
        Assert.True(error.OutcomeKnown);
        Assert.Contains("duplicate key", error.Message, StringComparison.Ordinal);
        Assert.Contains("other 2 were written", error.Message, StringComparison.Ordinal);
        Assert.Equal(("mongodb", "articles", "upsert"), (error.VectorStoreSystemName, error.CollectionName, error.OperationName));
        Assert.IsAssignableFrom<VectorStoreException>(error);
    }

    [Fact]
    public async Task WriteConcernError_SaysTheOutcomeIsUncertain()
    {
        var concern = DriverRendering.Error<WriteConcernError>(64, "WriteConcernFailed", "waiting for replication timed out", new BsonDocument(), Array.Empty<string>());
        _fake.Failure = DriverRendering.BulkFailure([], [], concern);

        var error = await Assert.ThrowsAsync<MongoBatchWriteException>(() => Articles.UpsertAsync([Article("a", 1)]));

        Assert.False(error.OutcomeKnown);
        Assert.Contains("may not be durable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_SendsOneUnorderedBulkWriteOfDeleteOnes()
    {
        await Articles.DeleteAsync(["a", "b", "a"]);

        var (_, args) = Assert.Single(_fake.Calls);
        Assert.False(((BulkWriteOptions)args[1]!).IsOrdered);
        var requests = ((IEnumerable<WriteModel<BsonDocument>>)args[0]!).Cast<DeleteOneModel<BsonDocument>>().ToList();
        Assert.Equal([BsonDocument.Parse("{ _id: { $eq: 'a' } }"), BsonDocument.Parse("{ _id: { $eq: 'b' } }")], requests.Select(r => DriverRendering.Render(r.Filter)));
    }

    [Fact]
    public async Task AutoGeneratedKeys_AreFilledInAfterTheWrite()
    {
        var records = new MongoCollection<ObjectId, ObjectIdRecord>(_fake.Database, "oids");
        var record = new ObjectIdRecord { Name = "n" };

        await records.UpsertAsync(record);

        Assert.NotEqual(ObjectId.Empty, record.Id);
        var sent = ((IEnumerable<WriteModel<BsonDocument>>)_fake.Calls.Single().Args[0]!).Cast<ReplaceOneModel<BsonDocument>>().Single();
        Assert.Equal(new BsonObjectId(record.Id), sent.Replacement["_id"]);
    }

    private static Article Article(string id, int views) => new()
    {
        Id = id,
        Title = "title " + id,
        Views = views,
        Tags = ["x"],
        Embedding = new float[] { 1, 0, 0 },
    };
}
