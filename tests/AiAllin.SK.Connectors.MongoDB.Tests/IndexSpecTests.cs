using Microsoft.Extensions.VectorData;
using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// The index specifications <c>EnsureCollectionExistsAsync</c> sends, rendered by the driver, against the manual's
/// <c>createIndexes</c> (ascending, text, TTL with <c>expireAfterSeconds: 0</c>) and <c>createSearchIndexes</c> shapes.
/// </summary>
public sealed class IndexSpecTests
{
    private readonly FakeMongo _fake = new();

    [Fact]
    public void IndexedAndFullTextProperties_GetAscendingAndOneTextIndex()
    {
        var indexes = Indexes(new MongoCollectionOptions());

        var models = indexes.IndexModels();

        Assert.Equal(
            [BsonDocument.Parse("{ Title: 1 }"), BsonDocument.Parse("{ Views: 1 }"), BsonDocument.Parse("{ Title: 'text' }")],
            models.Select(m => DriverRendering.Render(m.Keys)));
        Assert.Equal(["ix_Title", "ix_Views", "text_index"], models.Select(m => m.Options.Name));
        Assert.All(models, m => Assert.Null(m.Options.ExpireAfter));
    }

    [Fact]
    public void Expiry_AddsATtlIndexThatExpiresAtTheStoredDate()
    {
        var ttl = new MongoIndexes(Model(), new MongoCollectionOptions { TimeToLive = TimeSpan.FromMinutes(5) }, expires: true, false, false).IndexModels().Last();

        Assert.Equal(BsonDocument.Parse("{ __expiresAt: 1 }"), DriverRendering.Render(ttl.Keys));
        Assert.Equal(TimeSpan.Zero, ttl.Options.ExpireAfter);
        Assert.Equal("ttl_index", ttl.Options.Name);
    }

    [Fact]
    public void VectorSearchIndexDefinition_HasVectorAndFilterFields()
        => Assert.Equal(
            BsonDocument.Parse(
                """
                { fields: [
                    { type: 'vector', path: 'Embedding', numDimensions: 3, similarity: 'cosine' },
                    { type: 'filter', path: 'Title' },
                    { type: 'filter', path: 'Views' } ] }
                """),
            Indexes(new MongoCollectionOptions()).VectorIndexDefinition());

    [Fact]
    public void VectorSearchIndexDefinition_WithExpiry_IndexesTheExpiryFieldAsAFilter()
    {
        var definition = new MongoIndexes(Model(), new MongoCollectionOptions { TimeToLive = TimeSpan.FromMinutes(5) }, expires: true, usesVectorIndex: true, usesSearchIndex: false)
            .VectorIndexDefinition();

        Assert.Equal(BsonDocument.Parse("{ type: 'filter', path: '__expiresAt' }"), definition["fields"].AsBsonArray.Last());
    }

    [Fact]
    public void SearchIndexDefinition_MapsTheFullTextPropertiesAsStrings()
        => Assert.Equal(
            BsonDocument.Parse("{ mappings: { dynamic: false, fields: { Title: { type: 'string' } } } }"),
            Indexes(new MongoCollectionOptions()).SearchIndexDefinition());

    [Theory]
    [InlineData(DistanceFunction.CosineSimilarity, "cosine")]
    [InlineData(DistanceFunction.CosineDistance, "cosine")]
    [InlineData(DistanceFunction.DotProductSimilarity, "dotProduct")]
    [InlineData(DistanceFunction.NegativeDotProductSimilarity, "dotProduct")]
    [InlineData(DistanceFunction.EuclideanDistance, "euclidean")]
    [InlineData(DistanceFunction.EuclideanSquaredDistance, "euclidean")]
    public void IndexSimilarity_FollowsTheDistanceFunction(string distanceFunction, string similarity)
        => Assert.Equal(similarity, MongoScoring.IndexSimilarity(distanceFunction));

    [Fact]
    public void ExpiryProperty_MustBeADateProperty()
    {
        var error = Assert.Throws<ArgumentException>(() => new MongoCollection<string, Article>(_fake.Database, "a", new MongoCollectionOptions { ExpiryProperty = "Title" }));
        Assert.Contains("Title", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadIndexNames_AndNonPositiveTtl_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new MongoCollection<string, Article>(_fake.Database, "a", new MongoCollectionOptions { VectorIndexName = "$x" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MongoCollection<string, Article>(_fake.Database, "a", new MongoCollectionOptions { TimeToLive = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MongoCollection<string, Article>(_fake.Database, "a", new MongoCollectionOptions { NumCandidatesFactor = 0 }));
    }

    private Microsoft.Extensions.VectorData.ProviderServices.CollectionModel Model() => new MongoCollection<string, Article>(_fake.Database, "a").Model;

    private MongoIndexes Indexes(MongoCollectionOptions options) => new(Model(), options, expires: false, usesVectorIndex: true, usesSearchIndex: true);
}
