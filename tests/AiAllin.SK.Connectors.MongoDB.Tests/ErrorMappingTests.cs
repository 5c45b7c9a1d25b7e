using Microsoft.Extensions.VectorData;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>The driver's error types (built as the driver builds them from a server reply) mapped to clear exceptions.</summary>
public sealed class ErrorMappingTests
{
    private readonly FakeMongo _fake = new();

    public static TheoryData<string, Exception, bool, string> Errors => new()
    {
        {
            "duplicate key",
            new MongoWriteException(
                DriverRendering.Connection,
                DriverRendering.Error<WriteError>(ServerErrorCategory.DuplicateKey, 11000, "E11000 duplicate key error", new BsonDocument()),
                null,
                null!),
            false,
            "same key already exists (E11000)"
        },
        { "write conflict", DriverRendering.CommandFailure(112, "WriteConflict", "Write conflict during plan execution"), true, "(WriteConflict); the operation can be retried" },
        {
            "not primary",
            new MongoNotPrimaryException(DriverRendering.Connection, new BsonDocument("insert", "x"), BsonDocument.Parse("{ ok: 0, code: 10107, codeName: 'NotWritablePrimary', errmsg: 'not primary' }")),
            true,
            "not the primary"
        },
        { "timeout", new TimeoutException("A timeout occurred after 30000ms selecting a server"), true, "timed out" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void DriverErrors_AreDescribed_AndTransienceIsKnown(string kind, Exception error, bool transient, string phrase)
    {
        Assert.Equal(transient, MongoErrors.IsTransient(error));
        Assert.Contains(phrase, MongoErrors.Describe(error), StringComparison.Ordinal);
        Assert.NotNull(kind);
    }

    [Fact]
    public void DuplicateKey_IsRecognisedInEveryShape()
    {
        Assert.True(MongoErrors.IsDuplicateKey(DriverRendering.CommandFailure(11000, "DuplicateKey", "E11000")));
        Assert.True(MongoErrors.IsDuplicateKey(DriverRendering.BulkFailure([], [DriverRendering.BulkError(0, 11000, "E11000")])));
        Assert.False(MongoErrors.IsDuplicateKey(DriverRendering.CommandFailure(112, "WriteConflict", "conflict")));
    }

    [Fact]
    public async Task ReadOnANonPrimary_IsAVectorStoreExceptionThatSaysRetry()
    {
        _fake.Failure = new MongoNotPrimaryException(DriverRendering.Connection, new BsonDocument("find", "articles"), BsonDocument.Parse("{ ok: 0, code: 13435, errmsg: 'not primary and secondaryOk=false' }"));
        var articles = new MongoCollection<string, Article>(_fake.Database, "articles");

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => articles.GetAsync("a"));

        Assert.Contains("can be retried", error.Message, StringComparison.Ordinal);
        Assert.Equal(("mongodb", "articles", "Get"), (error.VectorStoreSystemName, error.CollectionName, error.OperationName));
        Assert.IsType<MongoNotPrimaryException>(error.InnerException);
    }

    [Fact]
    public async Task StreamedReadFailure_IsMappedToo()
    {
        _fake.Failure = DriverRendering.CommandFailure(112, "WriteConflict", "conflict");
        var articles = new MongoCollection<string, Article>(_fake.Database, "articles");

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => articles.GetAsync(a => a.Views > 1, 3).ToListAsync().AsTask());

        Assert.Contains("WriteConflict", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonBulkWriteFailure_IsAVectorStoreException()
    {
        _fake.Failure = new MongoConnectionException(DriverRendering.Connection, "connection reset");
        var articles = new MongoCollection<string, Article>(_fake.Database, "articles");

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => articles.DeleteAsync("a"));

        Assert.Contains("can be retried", error.Message, StringComparison.Ordinal);
    }
}
