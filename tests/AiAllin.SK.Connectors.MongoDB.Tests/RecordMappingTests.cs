using Microsoft.Extensions.AI;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>Records to BSON documents and back, through the driver's binary serializer, for every supported data type.</summary>
public sealed class RecordMappingTests
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private readonly FakeMongo _fake = new();

    [Fact]
    public void EveryDataType_RoundTripsThroughBsonBytes()
    {
        var collection = new MongoCollection<Guid, AllTypes>(_fake.Database, "all");
        var record = new AllTypes
        {
            Id = Guid.NewGuid(),
            Flag = true,
            Small = -8,
            Number = int.MinValue,
            Big = long.MaxValue,
            Ratio = 8.5f,
            Precise = -1e300,
            Money = 1234567.891m,
            Text = "héllo \"wörld\" $where { $gt: 1 }",
            Other = Guid.NewGuid(),
            When = new DateTime(2024, 2, 29, 13, 45, 59, 123, DateTimeKind.Utc),
            At = new DateTimeOffset(2024, 2, 29, 13, 45, 59, 123, TimeSpan.Zero),
            Day = new DateOnly(2024, 2, 29),
            Time = new TimeOnly(13, 45, 59),
            Blob = [1, 2, 3],
            Maybe = null,
            Longs = [1, long.MinValue],
            Color = Color.Green,
            Vector = [0.25f, -1f],
        };

        var document = collection.ToDocument(record, 0, new Embedding?[]?[1], Now, out _);
        var read = collection.Materialize(BsonSerializer.Deserialize<BsonDocument>(document.ToBson()), includeVectors: true);

        Assert.Equivalent(record, read, strict: true);
        Assert.Equal(BsonBinarySubType.UuidStandard, document["_id"].AsBsonBinaryData.SubType);
        Assert.Equal(BsonType.Decimal128, document["Money"].BsonType);
        Assert.Equal(BsonType.DateTime, document["Day"].BsonType);
    }

    [Fact]
    public void VectorsAreLeftOut_UnlessAskedFor()
    {
        var collection = new MongoCollection<Guid, AllTypes>(_fake.Database, "all");
        var document = collection.ToDocument(new AllTypes { Id = Guid.NewGuid(), Vector = [1f, 2f] }, 0, new Embedding?[]?[1], Now, out _);

        Assert.Null(collection.Materialize(document, includeVectors: false).Vector);
        Assert.Equal([1f, 2f], collection.Materialize(document, includeVectors: true).Vector!);
    }

    [Fact]
    public void TimeToLive_StoresTheExpiryMoment_AndAnExpiryPropertyOverridesIt()
    {
        var collection = new MongoCollection<string, Article>(
            _fake.Database, "a", new MongoCollectionOptions { TimeToLive = TimeSpan.FromMinutes(10), ExpiryProperty = nameof(Article.ExpiresAt) });
        var own = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var byTtl = collection.ToDocument(new Article { Id = "a", Embedding = new float[3] }, 0, new Embedding?[]?[1], Now, out _);
        var byProperty = collection.ToDocument(new Article { Id = "b", ExpiresAt = own, Embedding = new float[3] }, 0, new Embedding?[]?[1], Now, out _);

        Assert.Equal(new BsonDateTime(Now.AddMinutes(10)), byTtl["__expiresAt"]);
        Assert.Equal(new BsonDateTime(own.UtcDateTime), byProperty["__expiresAt"]);
    }

    [Fact]
    public void ARecordThatNeverExpires_StoresAFarDate_SoThePreFilterAndTheTtlIndexBothKeepIt()
    {
        var collection = new MongoCollection<string, Article>(_fake.Database, "a", new MongoCollectionOptions { ExpiryProperty = nameof(Article.ExpiresAt) });

        var document = collection.ToDocument(new Article { Id = "a", ExpiresAt = null, Embedding = new float[3] }, 0, new Embedding?[]?[1], Now, out _);

        Assert.Equal(new BsonDateTime(new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc)), document["__expiresAt"]);
        Assert.Null(collection.Materialize(document, includeVectors: false).ExpiresAt);
    }

    [Fact]
    public void KeyOfTheWrongType_IsRejected()
    {
        var definition = new Microsoft.Extensions.VectorData.VectorStoreCollectionDefinition
        {
            Properties = [new Microsoft.Extensions.VectorData.VectorStoreKeyProperty("Id", typeof(string)), new Microsoft.Extensions.VectorData.VectorStoreDataProperty("Title", typeof(string))],
        };
        var dynamic = new MongoDynamicCollection(_fake.Database, "d", new MongoCollectionOptions { Definition = definition });

        Assert.Throws<ArgumentException>(() => dynamic.ToDocument(new Dictionary<string, object?> { ["Id"] = 5, ["Title"] = "x" }, 0, [], Now, out _));
    }

    [Theory]
    [InlineData(typeof(ulong))]
    [InlineData(typeof(object))]
    [InlineData(typeof(Uri))]
    public void UnsupportedDataTypes_AreRefused(Type type) => Assert.False(MongoValues.IsSupportedDataType(type));

    [Theory]
    [InlineData(typeof(string))]
    [InlineData(typeof(Guid))]
    [InlineData(typeof(ObjectId))]
    [InlineData(typeof(int))]
    [InlineData(typeof(long))]
    public void KeyTypes_AreTheOnesBsonIdsHold(Type type) => Assert.True(MongoValues.IsSupportedKeyType(type));
}
