using AiAllin.SK.Testing.Servers;
using AiAllin.SK.Testing.VectorData;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// MongoDB-specific behaviour against the server <c>AIALLIN_MONGODB_URL</c> names: TTL, idempotent index creation,
/// partial bulk failures, change streams, operator injection. Skipped with the reason when no server is configured,
/// under CI=true too.
/// </summary>
public sealed class MongoServerTests : IAsyncLifetime
{
    private readonly List<string> _collections = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var name in _collections)
        {
            await MongoTestStore.Database.DropCollectionAsync(name);
        }
    }

    [MongoFact]
    public async Task RecordsPastTheirExpiry_AreHiddenFromEveryRead_AndATtlIndexDeletesThem()
    {
        var articles = await CollectionAsync(new MongoCollectionOptions { ExpiryProperty = nameof(Article.ExpiresAt), VectorSearchMode = MongoVectorSearchMode.ExactScan });
        await articles.UpsertAsync(
        [
            NewArticle("past", 1, DateTimeOffset.UtcNow.AddHours(-1)),
            NewArticle("future", 2, DateTimeOffset.UtcNow.AddHours(1)),
            NewArticle("never", 3, null),
        ]);

        Assert.Null(await articles.GetAsync("past"));
        Assert.Equal(["future", "never"], (await articles.GetAsync(["past", "future", "never"]).ToListAsync()).Select(a => a.Id).Order());
        Assert.Equal(2, await articles.GetAsync(_ => true, 10).CountAsync());
        Assert.Equal(2, await articles.SearchAsync(new ReadOnlyMemory<float>([1f, 0f, 0f]), 10).CountAsync());

        var raw = (IMongoCollection<BsonDocument>)articles.GetService(typeof(IMongoCollection<BsonDocument>))!;
        var indexes = await (await raw.Indexes.ListAsync()).ToListAsync();
        var ttl = Assert.Single(indexes, i => i["name"] == "ttl_index");
        Assert.Equal(0, ttl["expireAfterSeconds"].ToInt32());
    }

    [MongoFact]
    public async Task EnsureCollectionExists_IsIdempotent()
    {
        var articles = await CollectionAsync(new MongoCollectionOptions { TimeToLive = TimeSpan.FromDays(1) });
        var raw = (IMongoCollection<BsonDocument>)articles.GetService(typeof(IMongoCollection<BsonDocument>))!;
        var before = await (await raw.Indexes.ListAsync()).ToListAsync();

        await articles.EnsureCollectionExistsAsync();
        await Task.WhenAll(articles.EnsureCollectionExistsAsync(), articles.EnsureCollectionExistsAsync());

        var after = await (await raw.Indexes.ListAsync()).ToListAsync();
        Assert.Equal(before.Select(i => i["name"].AsString).Order(), after.Select(i => i["name"].AsString).Order());
        Assert.Contains(after, i => i["name"] == "text_index");
    }

    [MongoFact]
    public async Task PartialBatchFailure_NamesTheRecordsWritten_AndKeepsThem()
    {
        var articles = await CollectionAsync(new MongoCollectionOptions());
        var raw = (IMongoCollection<BsonDocument>)articles.GetService(typeof(IMongoCollection<BsonDocument>))!;
        await raw.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("Title", 1), new CreateIndexOptions { Unique = true, Name = "unique_title" }));
        var duplicate = NewArticle("b", 2, null);
        duplicate.Title = "title a";

        var error = await Assert.ThrowsAsync<MongoBatchWriteException>(() => articles.UpsertAsync([NewArticle("a", 1, null), duplicate, NewArticle("c", 3, null)]));

        var failure = Assert.Single(error.Failures);
        Assert.Equal(11000, failure.Code);
        Assert.Equal(2, error.WrittenKeys.Count);
        Assert.DoesNotContain(failure.Key, error.WrittenKeys);
        Assert.Equal(error.WrittenKeys.Select(k => (string)k).Order(), (await articles.GetAsync(["a", "b", "c"]).ToListAsync()).Select(a => a.Id).Order());
    }

    [MongoFact]
    public async Task OperatorTextInValues_IsMatchedLiterally()
    {
        var articles = await CollectionAsync(new MongoCollectionOptions());
        var where = NewArticle("w", 1, null);
        where.Title = "$where";
        var gt = NewArticle("g", 2, null);
        gt.Title = "{ \"$gt\": \"\" }";
        await articles.UpsertAsync([where, gt, NewArticle("plain", 3, null)]);

        Assert.Equal(["w"], await articles.GetAsync(a => a.Title == "$where", 10).Select(a => a.Id).ToListAsync());
        Assert.Equal(["g"], await articles.GetAsync(a => a.Title == "{ \"$gt\": \"\" }", 10).Select(a => a.Id).ToListAsync());
        Assert.Equal(3, await articles.GetAsync(_ => true, 10).CountAsync());
    }

    [MongoFact]
    public async Task Watch_ReportsChangesWithResumeTokens_OrSaysWhyNotOnAStandaloneServer()
    {
        var articles = await CollectionAsync(new MongoCollectionOptions());
        var hello = await MongoTestStore.Database.RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        if (!hello.Contains("setName") && hello.GetValue("msg", "") != "isdbgrid")
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => articles.WatchAsync(cancellationToken: timeout.Token).FirstAsync(timeout.Token).AsTask());
            return;
        }

        var events = articles.WatchAsync(new MongoWatchOptions { MaxAwaitTime = TimeSpan.FromMilliseconds(200) }, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var first = events.MoveNextAsync().AsTask();
        await Task.Delay(500);
        await articles.UpsertAsync(NewArticle("a", 1, null));
        Assert.True(await first);
        Assert.Equal((MongoChangeOperation.Insert, "a"), (events.Current.Operation, events.Current.Key));
        Assert.Equal("title a", events.Current.Record!.Title);
        var resumeAfterInsert = events.Current.ResumeToken;

        await articles.UpsertAsync(NewArticle("a", 2, null));
        await articles.DeleteAsync("a");
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(MongoChangeOperation.Replace, events.Current.Operation);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal((MongoChangeOperation.Delete, null), (events.Current.Operation, events.Current.Record));
        await events.DisposeAsync();

        var resumed = await articles.WatchAsync(new MongoWatchOptions { ResumeAfter = resumeAfterInsert }, timeout.Token).FirstAsync(timeout.Token);
        Assert.Equal(MongoChangeOperation.Replace, resumed.Operation);
    }

    [MongoFact]
    public async Task CountBy_GroupsAndFacetsOnTheServer_WithoutExpiredRecords()
    {
        var articles = await CollectionAsync(new MongoCollectionOptions { ExpiryProperty = nameof(Article.ExpiresAt), VectorSearchMode = MongoVectorSearchMode.ExactScan });
        await articles.UpsertAsync(
        [
            NewArticle("a", 1, null), NewArticle("b", 1, null), NewArticle("c", 2, null),
            NewArticle("d", 1, DateTimeOffset.UtcNow.AddHours(-1)),
        ]);

        var byViews = await articles.CountByAsync(nameof(Article.Views));
        var facets = await articles.CountByAsync([nameof(Article.Views), nameof(Article.Title)], a => a.Views == 1);

        Assert.Equal([new MongoValueCount(1, 2), new MongoValueCount(2, 1)], byViews);
        Assert.Equal([new MongoValueCount(1, 2)], facets[nameof(Article.Views)]);
        Assert.Equal(2, facets[nameof(Article.Title)].Count);
        Assert.Equal(3, await articles.CountAsync());
    }

    private async Task<MongoCollection<string, Article>> CollectionAsync(MongoCollectionOptions options)
    {
        var name = TestCollectionNames.Create("mongo");
        _collections.Add(name);
        var collection = new MongoVectorStore(MongoTestStore.Database).GetCollection<string, Article>(name, options);
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    private static Article NewArticle(string id, int views, DateTimeOffset? expiresAt) => new()
    {
        Id = id,
        Title = "title " + id,
        Views = views,
        ExpiresAt = expiresAt,
        Embedding = new float[] { 1, 0, 0 },
    };
}
