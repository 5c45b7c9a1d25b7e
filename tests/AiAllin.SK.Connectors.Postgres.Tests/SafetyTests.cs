using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class SafetyTests
{
    [PostgresTheory]
    [InlineData("articles\"; DROP TABLE articles; --")]
    [InlineData("articles; DROP TABLE articles")]
    [InlineData("articles' OR '1'='1")]
    [InlineData("a\0b")]
    public async Task CollectionName_WithInjectionAttempt_IsRejectedAndTablesSurvive(string name)
    {
        await using var fixture = await PostgresFixture.CreateAsync("safety");
        var articles = await fixture.ArticlesAsync();
        await articles.UpsertAsync(Articles.Make(1, "kept", [1, 0, 0, 0]));

        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Store.GetCollection<long, Article>(name).EnsureCollectionExistsAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Store.EnsureCollectionDeletedAsync(name));

        Assert.Equal(1, await fixture.CountAsync("articles"));
    }

    [PostgresFact]
    public async Task SchemaName_WithInjectionAttempt_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new PostgresVectorStore(
            "Host=127.0.0.1", new PostgresVectorStoreOptions { Schema = "public\"; DROP SCHEMA public; --" }));
        Assert.Throws<ArgumentException>(() => new PostgresVectorStore(
            "Host=127.0.0.1", new PostgresVectorStoreOptions { TextSearchConfiguration = "english'::regconfig); DROP TABLE x; --" }));
        await Task.CompletedTask;
    }

    [PostgresFact]
    public async Task StorageNames_WithQuotesAndSql_AreQuotedIdentifiers()
    {
        await using var fixture = await PostgresFixture.CreateAsync("safety");
        const string Weird = "na\"me; DROP TABLE x; --";
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("id", typeof(string)),
                new VectorStoreDataProperty(Weird, typeof(string)) { IsIndexed = true, IsFullTextIndexed = true },
                new VectorStoreVectorProperty("v\"ec", typeof(ReadOnlyMemory<float>), 2),
            ],
        };
        var collection = fixture.Store.GetDynamicCollection("weird", definition);
        await collection.EnsureCollectionExistsAsync();

        await collection.UpsertAsync(new Dictionary<string, object?> { ["id"] = "a", [Weird] = "hello world", ["v\"ec"] = new ReadOnlyMemory<float>([1, 0]) });
        var found = await collection.GetAsync(r => (string?)r[Weird] == "hello world", 10).SingleAsync();
        var hybrid = await ((IKeywordHybridSearchable<Dictionary<string, object?>>)collection)
            .HybridSearchAsync(new ReadOnlyMemory<float>([1, 0]), ["hello"], 1).SingleAsync();

        Assert.Equal("a", found["id"]);
        Assert.Equal("a", hybrid.Record["id"]);
    }

    [PostgresFact]
    public async Task FilterValuesAndKeywords_WithInjectionAttempts_AreData()
    {
        await using var fixture = await PostgresFixture.CreateAsync("safety");
        var articles = await fixture.ArticlesAsync();
        var evil = "x'); DELETE FROM articles; --";
        await articles.UpsertAsync([Articles.Make(1, "plain", [1, 0, 0, 0]), Articles.Make(2, evil, [0, 1, 0, 0])]);

        var byEvil = await articles.GetAsync(a => a.Title == evil, 10).ToListAsync();
        var byInjection = await articles.GetAsync(a => a.Title == "plain' OR '1'='1", 10).ToListAsync();
        var hybrid = await articles.HybridSearchAsync(new ReadOnlyMemory<float>([1, 0, 0, 0]), [evil, "'; DROP TABLE articles; --", "\\", ":*", "!"], 10).ToListAsync();

        Assert.Equal(2, Assert.Single(byEvil).Id);
        Assert.Empty(byInjection);
        Assert.Equal(2, hybrid.Count);
        Assert.Equal(2, await fixture.CountAsync("articles"));
    }

    [PostgresTheory]
    [InlineData(IndexKind.Hnsw, 2001, "2000")]
    [InlineData(IndexKind.IvfFlat, 2001, "2000")]
    [InlineData(IndexKind.Flat, 16001, "16000")]
    public async Task Dimensions_OverTheIndexLimit_AreRejectedNamingTheLimit(string indexKind, int dimensions, string limit)
    {
        await using var fixture = await PostgresFixture.CreateAsync("safety");
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("id", typeof(long)),
                new VectorStoreVectorProperty("embedding", typeof(ReadOnlyMemory<float>), dimensions) { IndexKind = indexKind },
            ],
        };

        var exception = await Assert.ThrowsAsync<NotSupportedException>(
            () => fixture.Store.GetDynamicCollection("big", definition).EnsureCollectionExistsAsync());

        Assert.Contains(limit, exception.Message, StringComparison.Ordinal);
        Assert.False(await fixture.Store.CollectionExistsAsync("big"));
    }

    [PostgresFact]
    public async Task Upsert_WithNaN_IsRejectedAndKeepsData()
    {
        await using var fixture = await PostgresFixture.CreateAsync("safety");
        var articles = await fixture.ArticlesAsync();
        await articles.UpsertAsync(Articles.Make(1, "original", [1, 0, 0, 0]));

        await Assert.ThrowsAsync<ArgumentException>(() => articles.UpsertAsync(
            [Articles.Make(2, "new", [0, 1, 0, 0]), Articles.Make(1, "changed", [float.NaN, 0, 0, 0])]));

        Assert.Equal("original", (await articles.GetAsync(1))?.Title);
        Assert.Null(await articles.GetAsync(2));
    }
}
