using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class SearchSettingsTests
{
    [PostgresFact]
    public async Task EfSearchPerQuery_LimitsThatQueryOnlyAndNeverLeaksToThePool()
    {
        await using var fixture = await PostgresFixture.CreateAsync("settings");
        var articles = await SeedAsync(fixture, 3000);
        var query = new ReadOnlyMemory<float>(Articles.Vector(7, 4));

        // Without iterative scans, pgvector's HNSW scan yields at most ef_search rows: a small ef_search shows it was applied.
        var narrow = await articles.SearchAsync(query, 50, new PostgresSearchSettings { EfSearch = 10 }).CountAsync();
        var wide = await articles.SearchAsync(query, 50).CountAsync();
        var leaked = await fixture.Server.ScalarAsync<string>("SELECT current_setting('hnsw.ef_search')");
        await using var pooled = await fixture.DataSource.OpenConnectionAsync();
        await using var show = new Npgsql.NpgsqlCommand("SELECT current_setting('hnsw.ef_search')", pooled);

        Assert.Equal(10, narrow);
        Assert.Equal(50, wide);
        Assert.Equal("40", leaked);
        Assert.Equal("40", (string?)await show.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task CollectionSearchSettings_ApplyToEveryQuery()
    {
        await using var fixture = await PostgresFixture.CreateAsync("settings");
        var articles = await SeedAsync(fixture, 3000, new PostgresCollectionOptions { SearchSettings = new() { EfSearch = 5 } });

        Assert.Equal(5, await articles.SearchAsync(new ReadOnlyMemory<float>(Articles.Vector(7, 4)), 20).CountAsync());
    }

    [PostgresFact]
    public async Task SelectiveFilter_StillReturnsTheFullTopTen()
    {
        await using var fixture = await PostgresFixture.CreateAsync("settings");
        var articles = await SeedAsync(fixture, 3000);
        var query = new ReadOnlyMemory<float>(Articles.Vector(11, 4));

        // Version 3 is 1 record in 100: far beyond what the first ef_search candidates hold.
        var filtered = await articles.SearchAsync(query, 10, new VectorSearchOptions<Article> { Filter = a => a.Version == 3 }).ToListAsync();
        var exact = await articles.SearchAsync(query, 10, new PostgresSearchSettings { ExactScan = true }, new VectorSearchOptions<Article> { Filter = a => a.Version == 3 }).ToListAsync();

        Assert.Equal(10, filtered.Count);
        Assert.All(filtered, r => Assert.Equal(3, r.Record.Version));
        Assert.Equal(exact.Select(r => r.Record.Id), filtered.Select(r => r.Record.Id));
    }

    [PostgresFact]
    public async Task FilteredPages_AreInScoreOrder_AndMatchTheExactRanking()
    {
        await using var fixture = await PostgresFixture.CreateAsync("settings");
        var articles = await SeedAsync(fixture, 3000);
        var query = new ReadOnlyMemory<float>(Articles.Vector(5, 4));
        var exact = await articles.SearchAsync(query, 40, new PostgresSearchSettings { ExactScan = true }, new VectorSearchOptions<Article> { Filter = a => a.Version < 10 }).ToListAsync();

        var pages = new List<VectorSearchResult<Article>>();
        for (var skip = 0; skip < 40; skip += 10)
        {
            var page = await articles.SearchAsync(query, 10, new VectorSearchOptions<Article> { Filter = a => a.Version < 10, Skip = skip }).ToListAsync();
            Assert.Equal(page.OrderByDescending(r => r.Score).Select(r => r.Record.Id), page.Select(r => r.Record.Id));
            pages.AddRange(page);
        }

        Assert.Equal(exact.Select(r => r.Record.Id), pages.Select(r => r.Record.Id));
        Assert.Equal(exact.Select(r => r.Score!.Value), pages.Select(r => r.Score!.Value), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    private static async Task<PostgresCollection<long, Article>> SeedAsync(PostgresFixture fixture, int count, PostgresCollectionOptions? options = null)
    {
        var articles = await fixture.ArticlesAsync(options: options);
        await articles.UpsertAsync(Enumerable.Range(1, count).Select(i => Articles.Make(i, $"t{i}", Articles.Vector(i, 4), version: i % 100)));
        await fixture.Server.ExecuteAsync($"ANALYZE \"{fixture.Schema}\".articles");
        return articles;
    }
}
