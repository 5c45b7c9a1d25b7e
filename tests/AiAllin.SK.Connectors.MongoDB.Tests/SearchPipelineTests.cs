using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.VectorData;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// The aggregation pipelines of vector, keyword and hybrid search, against the shapes of the MongoDB manual
/// (<c>$vectorSearch</c>: index, path, queryVector, numCandidates, limit, filter; <c>$text</c> with <c>$meta: "textScore"</c>),
/// and the exact-scan score expressions evaluated with the manual's operator semantics against reference scores.
/// </summary>
public sealed class SearchPipelineTests
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private readonly FakeMongo _fake = new();

    public static TheoryData<string> DistanceFunctions =>
    [
        DistanceFunction.CosineSimilarity,
        DistanceFunction.CosineDistance,
        DistanceFunction.DotProductSimilarity,
        DistanceFunction.NegativeDotProductSimilarity,
        DistanceFunction.EuclideanDistance,
        DistanceFunction.EuclideanSquaredDistance,
    ];

    [Theory]
    [MemberData(nameof(DistanceFunctions))]
    public void ExactScoreExpression_ComputesTheReferenceScore(string distanceFunction)
    {
        float[] query = [0.5f, -1.25f, 2f];
        float[][] candidates = [[1f, 2f, 3f], [-0.5f, 0.25f, 0f], [0.5f, -1.25f, 2f], [3f, 0f, -1f]];
        var expression = MongoScoring.ExactScore("v", MongoValues.DoubleArray(query), distanceFunction);

        foreach (var candidate in candidates)
        {
            var document = new BsonDocument("v", MongoValues.DoubleArray(candidate));
            var score = AggregationEvaluator.Evaluate(expression, document).ToDouble();
            Assert.Equal(ReferenceScores.Score(distanceFunction, query, candidate), score, 1e-6);
        }
    }

    [Fact]
    public void CosineOfAZeroVector_IsZero_NotADivisionByZero()
    {
        var expression = MongoScoring.ExactScore("v", MongoValues.DoubleArray([1f, 0f]), DistanceFunction.CosineSimilarity);
        Assert.Equal(0.0, AggregationEvaluator.Evaluate(expression, new BsonDocument("v", new BsonArray { 0.0, 0.0 })).ToDouble());
    }

    [Theory]
    [MemberData(nameof(DistanceFunctions))]
    public void VectorSearchScore_IsBroughtBackToTheDistanceFunctionsScale(string distanceFunction)
    {
        // Unit vectors, where MongoDB's normalised scores are exact: (1 + cos) / 2 and 1 / (1 + d).
        float[] query = [0.6f, 0.8f];
        float[] candidate = [1f, 0f];
        var cosine = (0.6 * 1) + (0.8 * 0);
        var distance = Math.Sqrt(Math.Pow(0.6 - 1, 2) + Math.Pow(0.8, 2));
        var meta = MongoScoring.IndexSimilarity(distanceFunction) == "euclidean" ? 1 / (1 + distance) : (1 + cosine) / 2;

        var score = AggregationEvaluator.Evaluate(MongoScoring.VectorSearchScore(distanceFunction), [], meta).ToDouble();

        Assert.Equal(ReferenceScores.Score(distanceFunction, query, candidate), score, 1e-6);
    }

    [Fact]
    public void ExactScanPipeline_MatchesScoresThresholdsSortsAndPages()
    {
        var collection = new MongoCollection<string, Article>(_fake.Database, "articles", new MongoCollectionOptions { TimeToLive = TimeSpan.FromHours(1) });
        var property = Vector(collection);

        var pipeline = collection.SearchPipeline(property, [1.0, 0.0, 0.0], a => a.Views > 2, scoreThreshold: 0.5, top: 3, skip: 2, includeVectors: false, Now);

        Assert.Equal(7, pipeline.Count);
        Assert.Equal(
            BsonDocument.Parse("{ $match: { $and: [ { Embedding: { $type: 'array' } }, { Views: { $gt: 2 } }, { __expiresAt: { $not: { $lte: ISODate('2026-01-02T03:04:05Z') } } } ] } }"),
            pipeline[0]);
        Assert.Equal("$addFields", pipeline[1].GetElement(0).Name);
        Assert.Equal(BsonDocument.Parse("{ $match: { __score: { $gte: 0.5 } } }"), pipeline[2]);
        Assert.Equal(BsonDocument.Parse("{ $sort: { __score: -1, _id: 1 } }"), pipeline[3]);
        Assert.Equal(BsonDocument.Parse("{ $skip: 2 }"), pipeline[4]);
        Assert.Equal(BsonDocument.Parse("{ $limit: 3 }"), pipeline[5]);
        Assert.Equal(BsonDocument.Parse("{ $project: { Embedding: 0 } }"), pipeline[6]);
    }

    [Fact]
    public void DistanceScores_SortAscending_AndThresholdFromAbove()
    {
        var pipeline = MongoPipelines.ExactSearch("v", [1.0], DistanceFunction.EuclideanDistance, [], 0.25, 1, 0, null);
        Assert.Contains(BsonDocument.Parse("{ $match: { __score: { $lte: 0.25 } } }"), pipeline);
        Assert.Contains(BsonDocument.Parse("{ $sort: { __score: 1, _id: 1 } }"), pipeline);
    }

    [Fact]
    public void VectorSearchStage_HasTheManualsFields_WithThePreFilter()
    {
        var collection = new MongoCollection<string, Article>(
            _fake.Database, "articles", new MongoCollectionOptions { VectorSearchMode = MongoVectorSearchMode.VectorSearchIndex, NumCandidatesFactor = 10 });

        var pipeline = collection.SearchPipeline(Vector(collection), [0.5, 0.25, 1.0], a => a.Views >= 3 || a.Title == "x", null, top: 4, skip: 1, includeVectors: true, Now);

        Assert.Equal(
            BsonDocument.Parse(
                """
                { $vectorSearch: {
                    index: 'vector_index', path: 'Embedding', queryVector: [0.5, 0.25, 1.0], numCandidates: 50, limit: 5,
                    filter: { $or: [ { Views: { $gte: 3 } }, { Title: { $eq: 'x' } } ] } } }
                """),
            pipeline[0]);
        Assert.Equal(BsonDocument.Parse("{ $addFields: { __score: { $subtract: [ { $multiply: [ 2, { $meta: 'vectorSearchScore' } ] }, 1 ] } } }"), pipeline[1]);
        Assert.Equal([BsonDocument.Parse("{ $skip: 1 }"), BsonDocument.Parse("{ $limit: 4 }")], pipeline.Skip(2));
    }

    [Fact]
    public void VectorSearch_ByIndexKindInAutoMode_AndExactScanOtherwise()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(string)),
                new VectorStoreVectorProperty("Embedding", typeof(ReadOnlyMemory<float>), 2) { IndexKind = IndexKind.Hnsw },
            ],
        };
        var auto = new MongoCollection<string, Article>(_fake.Database, "a", new MongoCollectionOptions { Definition = definition });
        var exact = new MongoCollection<string, Article>(_fake.Database, "a", new MongoCollectionOptions { Definition = definition, VectorSearchMode = MongoVectorSearchMode.ExactScan });

        Assert.Equal("$vectorSearch", auto.SearchPipeline(Vector(auto), [1.0, 0.0], null, null, 1, 0, false, Now)[0].GetElement(0).Name);
        Assert.Equal("$match", exact.SearchPipeline(Vector(exact), [1.0, 0.0], null, null, 1, 0, false, Now)[0].GetElement(0).Name);
    }

    [Fact]
    public void VectorSearch_WithExpiry_PreFiltersExpiredRecordsInTheStage_SoTheyTakeNoPlaceInTheTop()
    {
        var collection = new MongoCollection<string, Article>(
            _fake.Database, "articles", new MongoCollectionOptions { VectorSearchMode = MongoVectorSearchMode.VectorSearchIndex, TimeToLive = TimeSpan.FromHours(1) });

        var pipeline = collection.SearchPipeline(Vector(collection), [1.0, 0.0, 0.0], a => a.Views > 2, null, top: 3, skip: 0, includeVectors: false, Now);

        Assert.Equal(
            BsonDocument.Parse("{ $and: [ { Views: { $gt: 2 } }, { __expiresAt: { $gt: ISODate('2026-01-02T03:04:05Z') } } ] }"),
            pipeline[0]["$vectorSearch"]["filter"]);
        Assert.DoesNotContain(pipeline.Skip(1), stage => stage.GetElement(0).Name == "$match");
    }

    [Theory]
    [InlineData(1, 20, 20)]
    [InlineData(10, 1, 10)]
    [InlineData(2000, 20, 10_000)]
    [InlineData(20_000, 20, 20_000)]
    public void NumCandidates_IsTheFactorTimesTheLimit_CappedAtTenThousand_NeverBelowTheLimit(int limit, int factor, int expected)
        => Assert.Equal(expected, MongoPipelines.NumCandidates(limit, factor));

    [Fact]
    public void FilterOutsideThePreFilterOperators_IsRefused_WithTheWayOut()
    {
        var collection = new MongoCollection<string, Article>(_fake.Database, "articles", new MongoCollectionOptions { VectorSearchMode = MongoVectorSearchMode.VectorSearchIndex });
        var error = Assert.Throws<NotSupportedException>(() => collection.SearchPipeline(Vector(collection), [1.0, 0, 0], a => a.Tags.Contains(null!), null, 1, 0, false, Now));
        Assert.Contains("ExactScan", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextSearch_PutsTextInTheFirstMatch_AndSortsByTextScore()
    {
        var pipeline = MongoPipelines.TextSearch(["vector", "store"], BsonDocument.Parse("{ Views: { $gt: 1 } }"), 40, null);
        Assert.Equal(
            [
                BsonDocument.Parse("{ $match: { $and: [ { $text: { $search: 'vector store' } }, { Views: { $gt: 1 } } ] } }"),
                BsonDocument.Parse("{ $addFields: { __score: { $meta: 'textScore' } } }"),
                BsonDocument.Parse("{ $sort: { __score: -1, _id: 1 } }"),
                BsonDocument.Parse("{ $limit: 40 }"),
            ],
            pipeline);
    }

    [Fact]
    public void SearchStage_UsesTheTextOperatorOnTheProperty()
    {
        var pipeline = MongoPipelines.SearchIndexSearch("default", "Title", ["a", "$where"], [], 20, null);
        Assert.Equal(BsonDocument.Parse("{ $search: { index: 'default', text: { query: ['a', '$where'], path: 'Title' } } }"), pipeline[0]);
    }

    [Theory]
    [InlineData(new[] { "-secret", "\"exact phrase\"" }, "secret exact phrase")]
    [InlineData(new[] { "$where", "{$gt:1}" }, "$where {$gt:1}")]
    [InlineData(new[] { "  ", "--" }, "")]
    public void TextSearchString_KeepsKeywordsAsTerms_WithoutPhraseOrNegationSyntax(string[] keywords, string expected)
        => Assert.Equal(expected, MongoPipelines.TextSearchString(keywords));

    [Fact]
    public async Task Search_SendsOneAggregate_AndReadsTheScore()
    {
        _fake.Documents = [BsonDocument.Parse("{ _id: 'a', Title: 't', Views: 1, score_long: NumberLong(2), Tags: [], Color: 0, ExpiresAt: null, __score: 0.75 }")];
        var collection = new MongoCollection<string, Article>(_fake.Database, "articles");

        var result = Assert.Single(await collection.SearchAsync(new ReadOnlyMemory<float>([1f, 0f, 0f]), 1).ToListAsync());

        Assert.Equal(("a", 0.75), (result.Record.Id, result.Score!.Value));
        var (method, args) = Assert.Single(_fake.Calls);
        Assert.Equal("AggregateAsync", method);
        var sent = DriverRendering.Render((PipelineDefinition<BsonDocument, BsonDocument>)args[0]!);
        Assert.Equal(BsonDocument.Parse("{ $match: { Embedding: { $type: 'array' } } }"), sent[0]);
    }

    [Fact]
    public async Task SearchWithAWrongDimension_FailsBeforeAnythingIsSent()
    {
        var collection = new MongoCollection<string, Article>(_fake.Database, "articles");
        await Assert.ThrowsAsync<ArgumentException>(() => collection.SearchAsync(new ReadOnlyMemory<float>([1f, 0f]), 1).ToListAsync().AsTask());
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public void ChangeStream_WatchesTheFourDocumentOperations_WithUpdateLookupAndResumeToken()
    {
        Assert.Equal(
            BsonDocument.Parse("{ $match: { operationType: { $in: [ 'insert', 'update', 'replace', 'delete' ] } } }"),
            Assert.Single(MongoPipelines.ChangeStream()));

        var token = BsonDocument.Parse("{ _data: '8263A1' }");
        var options = MongoChangeStream.Options(new MongoWatchOptions { ResumeAfter = token, BatchSize = 7 });
        Assert.Equal(ChangeStreamFullDocumentOption.UpdateLookup, options.FullDocument);
        Assert.Same(token, options.ResumeAfter);
        Assert.Equal(7, options.BatchSize);
    }

    [Fact]
    public async Task WatchOnAStandaloneServer_IsAClearNotSupportedError()
    {
        _fake.Failure = DriverRendering.CommandFailure(40573, "Location40573", "The $changeStream stage is only supported on replica sets");
        var collection = new MongoCollection<string, Article>(_fake.Database, "articles");

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => collection.WatchAsync().FirstAsync().AsTask());

        Assert.Contains("replica set", error.Message, StringComparison.Ordinal);
        Assert.Equal("WatchAsync", _fake.Calls.Single().Method);
    }

    private static Microsoft.Extensions.VectorData.ProviderServices.VectorPropertyModel Vector<TKey, TRecord>(MongoCollection<TKey, TRecord> collection)
        where TKey : notnull
        where TRecord : class
        => collection.Model.VectorProperties.Single();
}
