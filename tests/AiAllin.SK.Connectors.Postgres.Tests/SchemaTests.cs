using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class SchemaTests
{
    [PostgresFact]
    public async Task EnsureExists_Twice_RecordsOneMigration()
    {
        await using var fixture = await PostgresFixture.CreateAsync("schema");
        var articles = await fixture.ArticlesAsync();

        await articles.EnsureCollectionExistsAsync();
        await fixture.Store.GetCollection<long, Article>("articles").EnsureCollectionExistsAsync();

        Assert.Equal(1L, await fixture.Server.ScalarAsync<long>(
            $"SELECT count(*) FROM \"{fixture.Schema}\".__aiallin_migrations WHERE collection = 'articles'"));
        Assert.DoesNotContain("__aiallin_migrations", await fixture.Store.ListCollectionNamesAsync().ToListAsync());
    }

    [PostgresFact]
    public async Task ListCollectionNames_ListsOnlyTheStoresCollections()
    {
        await using var fixture = await PostgresFixture.CreateAsync("schema");
        Assert.Empty(await fixture.Store.ListCollectionNamesAsync().ToListAsync());
        await fixture.ArticlesAsync();
        await fixture.Server.ExecuteAsync($"CREATE TABLE \"{fixture.Schema}\".application_table (id int)");

        Assert.Equal(["articles"], await fixture.Store.ListCollectionNamesAsync().ToListAsync());
    }

    [PostgresFact]
    public async Task EnsureExists_ConcurrentlyFromManyObjects_CreatesOneTable()
    {
        await using var fixture = await PostgresFixture.CreateAsync("schema");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.Store.GetCollection<long, Article>("articles").EnsureCollectionExistsAsync()));

        Assert.Equal(1L, await fixture.Server.ScalarAsync<long>(
            $"SELECT count(*) FROM \"{fixture.Schema}\".__aiallin_migrations WHERE collection = 'articles'"));
    }

    [PostgresFact]
    public async Task EnsureExists_WithNewDataProperty_AddsTheColumnAndKeepsData()
    {
        await using var fixture = await PostgresFixture.CreateAsync("schema");
        var v1 = fixture.Store.GetDynamicCollection("docs", Definition(3, withAuthor: false));
        await v1.EnsureCollectionExistsAsync();
        await v1.UpsertAsync(new Dictionary<string, object?> { ["id"] = "a", ["title"] = "first", ["embedding"] = new ReadOnlyMemory<float>([1, 0, 0]) });

        var v2 = fixture.Store.GetDynamicCollection("docs", Definition(3, withAuthor: true));
        await v2.EnsureCollectionExistsAsync();
        await v2.UpsertAsync(new Dictionary<string, object?> { ["id"] = "b", ["title"] = "second", ["author"] = "ada", ["embedding"] = new ReadOnlyMemory<float>([0, 1, 0]) });

        var old = await v2.GetAsync("a");
        Assert.Equal("first", old?["title"]);
        Assert.Null(old?["author"]);
        Assert.Equal("b", (await v2.GetAsync(r => (string?)r["author"] == "ada", 10).SingleAsync())["id"]);
        var migrations = await Descriptions(fixture, "docs");
        Assert.Equal(2, migrations.Count);
        Assert.StartsWith("add column author", migrations[1], StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task EnsureExists_WithChangedDimensions_ReportsTheChangeAndKeepsData()
    {
        await using var fixture = await PostgresFixture.CreateAsync("schema");
        var v1 = fixture.Store.GetDynamicCollection("docs", Definition(3, withAuthor: false));
        await v1.EnsureCollectionExistsAsync();
        await v1.UpsertAsync(new Dictionary<string, object?> { ["id"] = "a", ["title"] = "first", ["embedding"] = new ReadOnlyMemory<float>([1, 0, 0]) });

        var exception = await Assert.ThrowsAsync<VectorStoreException>(
            () => fixture.Store.GetDynamicCollection("docs", Definition(4, withAuthor: true)).EnsureCollectionExistsAsync());

        Assert.Contains("vector(3)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("vector(4)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("re-embedded", exception.Message, StringComparison.Ordinal);
        Assert.Equal("first", (await v1.GetAsync("a"))?["title"]);
        Assert.Single(await Descriptions(fixture, "docs"));
        Assert.Equal(0L, await fixture.Server.ScalarAsync<long>(
            $"SELECT count(*) FROM information_schema.columns WHERE table_schema = '{fixture.Schema}' AND table_name = 'docs' AND column_name = 'author'"));
    }

    [PostgresFact]
    public async Task HnswParameters_AreUsedForTheIndex()
    {
        await using var fixture = await PostgresFixture.CreateAsync("schema");
        await fixture.ArticlesAsync(options: new() { HnswM = 24, HnswEfConstruction = 100 });

        var index = await fixture.IndexDefinitionAsync("hnsw");

        Assert.Contains("vector_cosine_ops", index, StringComparison.Ordinal);
        Assert.Contains("m='24'", index, StringComparison.Ordinal);
        Assert.Contains("ef_construction='100'", index, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task IvfFlatCollection_IndexesAndSearchesWithProbesPerQuery()
    {
        await using var fixture = await PostgresFixture.CreateAsync("schema");
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("id", typeof(int)),
                new VectorStoreVectorProperty("embedding", typeof(ReadOnlyMemory<float>), 8)
                {
                    IndexKind = IndexKind.IvfFlat, DistanceFunction = DistanceFunction.EuclideanDistance,
                },
            ],
        };
        var collection = fixture.Store.GetDynamicCollection("ivf", definition);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Enumerable.Range(0, 500).Select(i => new Dictionary<string, object?>
        {
            ["id"] = i, ["embedding"] = new ReadOnlyMemory<float>(Articles.Vector(i, 8)),
        }));
        await collection.BuildIndexesAsync();

        var nearest = await collection.SearchAsync(
            new ReadOnlyMemory<float>(Articles.Vector(42, 8)), 1, new PostgresSearchSettings { Probes = 100 }).SingleAsync();

        Assert.Equal(42, nearest.Record["id"]);
        Assert.Equal(0, nearest.Score!.Value, 1e-5);
        Assert.Contains("lists='1'", await fixture.IndexDefinitionAsync("ivfflat"), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task HalfVectors_AreStoredAsHalfvecAndSearched()
    {
        await using var fixture = await PostgresFixture.CreateAsync("schema");
        var collection = fixture.Store.GetCollection<Guid, HalfArticle>("halves");
        await collection.EnsureCollectionExistsAsync();
        var near = new HalfArticle { Id = Guid.NewGuid(), Title = "near", Embedding = new Half[] { (Half)1, (Half)0.5, (Half)0 } };
        await collection.UpsertAsync([near, new HalfArticle { Id = Guid.NewGuid(), Title = "far", Embedding = new Half[] { (Half)(-1), (Half)0, (Half)4 } }]);

        var result = await collection.SearchAsync(new ReadOnlyMemory<Half>([(Half)1, (Half)0.5, (Half)0]), 1, new VectorSearchOptions<HalfArticle> { IncludeVectors = true }).SingleAsync();

        Assert.Equal("near", result.Record.Title);
        Assert.Equal(near.Embedding.ToArray(), result.Record.Embedding.ToArray());
        Assert.Equal("halfvec(3)", await fixture.Server.ScalarAsync<string>(
            $"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\"{fixture.Schema}\".halves'::regclass AND attname = 'Embedding'"));
    }

    [PostgresFact]
    public async Task TextSearchConfiguration_IsUsedForTheGeneratedColumn()
    {
        await using var fixture = await PostgresFixture.CreateAsync("schema");
        var simple = await fixture.ArticlesAsync("simple_articles", new PostgresCollectionOptions { TextSearchConfiguration = "simple" });
        var english = await fixture.ArticlesAsync("english_articles");
        Article[] records = [Articles.Make(1, "one", [1, 0, 0, 0], body: "the running dogs"), Articles.Make(2, "two", [1, 0, 0, 0], body: "cats")];
        await simple.UpsertAsync(records);
        await english.UpsertAsync(records);

        // English stems "running" to "run"; simple keeps the word as written.
        var simpleHit = await simple.HybridSearchAsync(new ReadOnlyMemory<float>([1, 0, 0, 0]), ["run"], 1).SingleAsync();
        var englishHit = await english.HybridSearchAsync(new ReadOnlyMemory<float>([1, 0, 0, 0]), ["run"], 1).SingleAsync();

        Assert.Equal(1, englishHit.Record.Id);
        Assert.True(englishHit.Score > simpleHit.Score, "Only the english configuration matches 'run' to 'running'.");
    }

    [PostgresFact]
    public async Task DataSourceWithoutUseVector_WorksForEveryOperation()
    {
        await using var server = await PostgresServer.CreateAsync("plain");
        await using var plain = NpgsqlDataSource.Create(server.ConnectionString);
        using var store = new PostgresVectorStore(plain, new PostgresVectorStoreOptions { Schema = server.Schema });
        var articles = store.GetCollection<long, Article>("articles");
        await articles.EnsureCollectionExistsAsync();

        await articles.UpsertAsync([Articles.Make(1, "one", [1, 0, 0, 0]), Articles.Make(2, "two", [0, 1, 0, 0])]);
        var hit = await articles.SearchAsync(new ReadOnlyMemory<float>([0, 1, 0, 0]), 1, new VectorSearchOptions<Article> { IncludeVectors = true }).SingleAsync();
        var hybrid = await articles.HybridSearchAsync(new ReadOnlyMemory<float>([1, 0, 0, 0]), ["two"], 2).ToListAsync();

        Assert.Equal(2, hit.Record.Id);
        Assert.Equal([0f, 1, 0, 0], hit.Record.Embedding.ToArray());
        Assert.Equal(2, hybrid.Count);
    }

    private static VectorStoreCollectionDefinition Definition(int dimensions, bool withAuthor)
    {
        List<VectorStoreProperty> properties =
        [
            new VectorStoreKeyProperty("id", typeof(string)),
            new VectorStoreDataProperty("title", typeof(string)),
            new VectorStoreVectorProperty("embedding", typeof(ReadOnlyMemory<float>), dimensions),
        ];
        if (withAuthor)
        {
            properties.Add(new VectorStoreDataProperty("author", typeof(string)) { IsIndexed = true });
        }

        return new() { Properties = properties };
    }

    private static async Task<List<string>> Descriptions(PostgresFixture fixture, string collection)
    {
        await using var command = fixture.DataSource.CreateCommand(
            $"SELECT description FROM \"{fixture.Schema}\".__aiallin_migrations WHERE collection = $1 ORDER BY version");
        command.Parameters.Add(new NpgsqlParameter { Value = collection });
        var descriptions = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            descriptions.Add(reader.GetString(0));
        }

        return descriptions;
    }
}
