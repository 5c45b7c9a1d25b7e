using System.Linq.Expressions;
using Microsoft.Extensions.VectorData;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// The query documents LINQ filters become, compared with the shapes of the MongoDB manual's query operators
/// (<c>{ field: { $eq: value } }</c>, <c>$in</c>, <c>$and</c>, <c>$or</c>, <c>$nor</c>), and what the driver sends for them.
/// </summary>
public sealed class FilterTranslationTests
{
    private readonly FakeMongo _fake = new();

    private MongoCollection<string, Article> Articles => new(_fake.Database, "articles");

    private BsonDocument Translate(Expression<Func<Article, bool>> filter) => Articles.Filter(filter);

    [Fact]
    public void Equality_IsAnExplicitEq()
        => Assert.Equal(BsonDocument.Parse("{ Views: { $eq: 5 } }"), Translate(a => a.Views == 5));

    [Fact]
    public void Key_IsQueriedAsId_AndStorageNamesAreHonoured()
    {
        Assert.Equal(BsonDocument.Parse("{ _id: { $eq: 'a' } }"), Translate(a => a.Id == "a"));
        Assert.Equal(BsonDocument.Parse("{ score_long: { $gt: NumberLong(9) } }"), Translate(a => a.Score > 9));
    }

    [Fact]
    public void IntConstantOnALongProperty_IsSentAsAnInt64()
        => Assert.Equal(BsonType.Int64, Translate(a => a.Score == 9)["score_long"]["$eq"].BsonType);

    [Fact]
    public void ComparisonsAndLogic_MapToTheManualsOperators()
    {
        var views = 3;
        Assert.Equal(
            BsonDocument.Parse("{ $and: [ { Title: { $ne: 'x' } }, { $or: [ { Views: { $gte: 3 } }, { Views: { $lt: 1 } } ] } ] }"),
            Translate(a => a.Title != "x" && (a.Views >= views || a.Views < 1)));
    }

    [Fact]
    public void ConstantOnTheLeft_IsFlipped()
        => Assert.Equal(BsonDocument.Parse("{ Views: { $lt: 3 } }"), Translate(a => 3 > a.Views));

    [Fact]
    public void Negation_IsNor_SoNullAndMissingFieldsMatchAsLinqHasIt()
        => Assert.Equal(BsonDocument.Parse("{ $nor: [ { Views: { $gt: 3 } } ] }"), Translate(a => !(a.Views > 3)));

    [Fact]
    public void NullEquality_UsesEqNull_AndRangeAgainstNullMatchesNothing()
    {
        Assert.Equal(BsonDocument.Parse("{ Title: { $eq: null } }"), Translate(a => a.Title == null));
        Assert.Equal(BsonDocument.Parse("{ Title: { $ne: null } }"), Translate(a => a.Title != null));
    }

    [Fact]
    public void ArrayContains_AndSetContains_AndAny()
    {
        var wanted = new[] { "a", "b" };
        Assert.Equal(BsonDocument.Parse("{ Tags: { $eq: 'x' } }"), Translate(a => a.Tags.Contains("x")));
        Assert.Equal(BsonDocument.Parse("{ Title: { $in: [ 'a', 'b' ] } }"), Translate(a => wanted.Contains(a.Title!)));
        Assert.Equal(BsonDocument.Parse("{ Tags: { $in: [ 'a', 'b' ] } }"), Translate(a => a.Tags.Any(t => wanted.Contains(t))));
    }

    [Fact]
    public void Enums_AreComparedAsTheirStoredInteger()
        => Assert.Equal(BsonDocument.Parse("{ Color: { $eq: 1 } }"), Translate(a => a.Color == Color.Green));

    [Fact]
    public void DatesAndGuids_HaveTheirBsonTypes()
    {
        var at = new DateTimeOffset(2024, 2, 29, 13, 45, 59, 123, TimeSpan.FromHours(2));
        Assert.Equal(new BsonDateTime(at.UtcDateTime), Translate(a => a.ExpiresAt < at)["ExpiresAt"]["$lt"]);

        var guid = Guid.Parse("4f1c2b3a-5d6e-4f70-8192-a3b4c5d6e7f8");
        var all = new MongoCollection<Guid, AllTypes>(_fake.Database, "all");
        var value = all.Filter((Expression<Func<AllTypes, bool>>)(r => r.Other == guid))["Other"]["$eq"].AsBsonBinaryData;
        Assert.Equal(BsonBinarySubType.UuidStandard, value.SubType);
        Assert.Equal(guid, value.ToGuid());
    }

    [Fact]
    public void ConstantFilters_MatchAllOrNothing()
    {
        Assert.Equal([], Translate(_ => true));
        Assert.Equal(BsonDocument.Parse("{ _id: { $in: [] } }"), Translate(_ => false));
    }

    [Theory]
    [InlineData("$where")]
    [InlineData("{ \"$gt\": \"\" }")]
    [InlineData("$function")]
    [InlineData("function() { return true; }")]
    [InlineData("'; return true; var x='")]
    public void OperatorInValues_StaysALiteralStringUnderEq(string smuggled)
    {
        var filter = Translate(a => a.Title == smuggled);

        Assert.Equal(new BsonDocument("Title", new BsonDocument("$eq", new BsonString(smuggled))), filter);
        Assert.Equal(["Title"], OperatorsAndFields(filter).Where(n => !n.StartsWith('$')));
        Assert.Equal(["$eq"], OperatorsAndFields(filter).Where(n => n.StartsWith('$')));
    }

    [Fact]
    public void OperatorInSetValues_StaysLiteralStrings()
    {
        var smuggled = new[] { "$where", "{ $gt: '' }" };
        var filter = Translate(a => smuggled.Contains(a.Title!));
        Assert.Equal(new BsonArray { "$where", "{ $gt: '' }" }, filter["Title"]["$in"].AsBsonArray);
        Assert.All(filter["Title"]["$in"].AsBsonArray, v => Assert.Equal(BsonType.String, v.BsonType));
    }

    [Theory]
    [InlineData("$where")]
    [InlineData("$function")]
    [InlineData("$gt")]
    [InlineData("a.b")]
    [InlineData("_id")]
    [InlineData("__score")]
    public void OperatorOrPathAsAStorageName_IsRejectedWhenTheCollectionIsBuilt(string storageName)
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(string)),
                new VectorStoreDataProperty("Title", typeof(string)) { StorageName = storageName },
            ],
        };

        Assert.ThrowsAny<ArgumentException>(() => new MongoCollection<string, Article>(_fake.Database, "articles", new MongoCollectionOptions { Definition = definition }));
    }

    [Fact]
    public void OperatorAsADynamicPropertyName_IsRejected_NotSent()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties = [new VectorStoreKeyProperty("Id", typeof(string)), new VectorStoreDataProperty("Title", typeof(string))],
        };
        var dynamic = new MongoDynamicCollection(_fake.Database, "dyn", new MongoCollectionOptions { Definition = definition });

        Assert.Throws<InvalidOperationException>(() => dynamic.Filter((Expression<Func<Dictionary<string, object?>, bool>>)(r => (string)r["$where"]! == "x")));
        Assert.Equal(
            BsonDocument.Parse("{ Title: { $eq: '$gt' } }"),
            dynamic.Filter((Expression<Func<Dictionary<string, object?>, bool>>)(r => (string)r["Title"]! == "$gt")));
    }

    [Fact]
    public void VectorProperties_CannotBeFiltered()
        => Assert.Throws<NotSupportedException>(() => Translate(a => a.Embedding.Length == 3));

    [Fact]
    public async Task GetWithFilter_SendsOneFindWithTheFilterSortAndPage_AsTheDriverRendersThem()
    {
        await Articles.GetAsync(a => a.Views > 1, 5, new FilteredRecordRetrievalOptions<Article> { Skip = 10, OrderBy = o => o.Descending(a => a.Views) }).ToListAsync();

        var (method, args) = Assert.Single(_fake.Calls);
        Assert.Equal("FindAsync", method);
        Assert.Equal(BsonDocument.Parse("{ Views: { $gt: 1 } }"), DriverRendering.Render((FilterDefinition<BsonDocument>)args[0]!));
        var options = (FindOptions<BsonDocument, BsonDocument>)args[1]!;
        Assert.Equal(BsonDocument.Parse("{ Views: -1, _id: 1 }"), DriverRendering.Render(options.Sort));
        Assert.Equal(BsonDocument.Parse("{ Embedding: 0 }"), DriverRendering.Render(options.Projection));
        Assert.Equal((10, 5), (options.Skip, options.Limit));
    }

    private static IEnumerable<string> OperatorsAndFields(BsonDocument document)
    {
        foreach (var element in document)
        {
            yield return element.Name;
            if (element.Value is BsonDocument inner)
            {
                foreach (var name in OperatorsAndFields(inner))
                {
                    yield return name;
                }
            }
        }
    }
}
