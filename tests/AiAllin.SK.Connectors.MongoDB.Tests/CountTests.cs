using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// Grouped and faceted counts: the pipelines sent (<c>$match</c>, <c>$group</c> with <c>$sum: 1</c>, <c>$sort</c>, and
/// <c>$facet</c> as the MongoDB manual shapes them), the reading of the server's answer, and names refused before anything is sent.
/// </summary>
public sealed class CountTests
{
    private readonly FakeMongo _fake = new();

    [Fact]
    public async Task CountBy_SendsMatchGroupSort_AndConvertsTheGroupValues()
    {
        _fake.Documents = [BsonDocument.Parse("{ _id: 3, count: 5 }"), BsonDocument.Parse("{ _id: null, count: NumberLong(2) }")];
        var collection = new MongoCollection<string, Article>(_fake.Database, "articles");

        var counts = await collection.CountByAsync(nameof(Article.Views), a => a.Title == "$where");

        Assert.Equal([new MongoValueCount(3, 5), new MongoValueCount(null, 2)], counts);
        var (method, args) = Assert.Single(_fake.Calls);
        Assert.Equal("AggregateAsync", method);
        Assert.Equal(
            [
                BsonDocument.Parse("{ $match: { Title: { $eq: '$where' } } }"),
                BsonDocument.Parse("{ $group: { _id: '$Views', count: { $sum: 1 } } }"),
                BsonDocument.Parse("{ $sort: { count: -1, _id: 1 } }"),
            ],
            DriverRendering.Render((PipelineDefinition<BsonDocument, BsonDocument>)args[0]!));
    }

    [Fact]
    public async Task CountBy_UsesTheStorageName_AndConvertsToThePropertyType()
    {
        _fake.Documents = [BsonDocument.Parse("{ _id: NumberLong(7), count: 1 }")];
        var collection = new MongoCollection<string, Article>(_fake.Database, "articles");

        var counts = await collection.CountByAsync(nameof(Article.Score));

        Assert.Equal(7L, Assert.Single(counts).Value);
        var sent = DriverRendering.Render((PipelineDefinition<BsonDocument, BsonDocument>)_fake.Calls.Single().Args[0]!);
        Assert.Equal("$score_long", sent[1]["$group"]["_id"].AsString);
    }

    [Fact]
    public async Task FacetedCounts_SendOneFacetStage_AndReturnEachPropertysGroups()
    {
        _fake.Documents = [BsonDocument.Parse("{ f0: [ { _id: 1, count: 2 } ], f1: [ { _id: 'x', count: 1 }, { _id: 'y', count: 1 } ] }")];
        var collection = new MongoCollection<string, Article>(_fake.Database, "articles", new MongoCollectionOptions { TimeToLive = TimeSpan.FromHours(1) });

        var facets = await collection.CountByAsync([nameof(Article.Views), nameof(Article.Title)]);

        Assert.Equal([new MongoValueCount(1, 2)], facets[nameof(Article.Views)]);
        Assert.Equal(["x", "y"], facets[nameof(Article.Title)].Select(c => c.Value));
        var sent = DriverRendering.Render((PipelineDefinition<BsonDocument, BsonDocument>)_fake.Calls.Single().Args[0]!);
        Assert.Equal(2, sent.Count);
        Assert.True(sent[0]["$match"].AsBsonDocument.Contains(MongoNames.ExpiryField), "expired records must not be counted");
        Assert.Equal(
            BsonDocument.Parse("""
                { $facet: {
                    f0: [ { $group: { _id: '$Views', count: { $sum: 1 } } }, { $sort: { count: -1, _id: 1 } } ],
                    f1: [ { $group: { _id: '$Title', count: { $sum: 1 } } }, { $sort: { count: -1, _id: 1 } } ] } }
                """),
            sent[1]);
    }

    [Theory]
    [InlineData("$where")]
    [InlineData("Embedding")]
    [InlineData("Id")]
    [InlineData("Nope")]
    public async Task CountBy_ANameThatIsNotADataProperty_IsRefusedBeforeAnythingIsSent(string name)
    {
        var collection = new MongoCollection<string, Article>(_fake.Database, "articles");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => collection.CountByAsync(name));
        await Assert.ThrowsAsync<ArgumentException>(() => collection.CountByAsync([nameof(Article.Views), name]));

        Assert.Contains("is not a data property", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task Count_SendsTheFilterWithTheExpiryCondition()
    {
        _fake.Documents = [new BsonDocument(), new BsonDocument()];
        var collection = new MongoCollection<string, Article>(_fake.Database, "articles", new MongoCollectionOptions { TimeToLive = TimeSpan.FromHours(1) });

        var count = await collection.CountAsync(a => a.Views > 1);

        Assert.Equal(2, count);
        var (method, args) = Assert.Single(_fake.Calls);
        Assert.Equal("CountDocumentsAsync", method);
        var filter = DriverRendering.Render((FilterDefinition<BsonDocument>)args[0]!);
        Assert.Contains(filter["$and"].AsBsonArray, c => c.AsBsonDocument == BsonDocument.Parse("{ Views: { $gt: 1 } }"));
    }
}
