using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class HybridSearchTests
{
    [PostgresFact]
    public async Task ScoreThreshold_ExcludesRecordsBeyondItFromBothRankings()
    {
        await using var fixture = await PostgresFixture.CreateAsync("hybrid");
        var articles = await fixture.ArticlesAsync();
        await articles.UpsertAsync(
        [
            Articles.Make(1, "near", [1, 0, 0, 0], body: "lemon"),
            Articles.Make(2, "far but matching", [0, 1, 0, 0], body: "lemon tart"),
        ]);

        var results = await articles.HybridSearchAsync(
            new ReadOnlyMemory<float>([1, 0, 0, 0]), ["tart"], 10, new HybridSearchOptions<Article> { ScoreThreshold = 0.5 }).ToListAsync();

        Assert.Equal(1, Assert.Single(results).Record.Id);
    }

    [PostgresFact]
    public async Task Weights_ShiftTheFusionBetweenVectorAndKeywords()
    {
        await using var fixture = await PostgresFixture.CreateAsync("hybrid");
        Article[] records = [Articles.Make(1, "near", [1, 0, 0, 0], body: "plain"), Articles.Make(2, "keyword", [0.5f, 1, 0, 0], body: "lemon")];
        var vectorHeavy = await fixture.ArticlesAsync("vector_heavy", new() { HybridVectorWeight = 1, HybridKeywordWeight = 0 });
        var keywordHeavy = await fixture.ArticlesAsync("keyword_heavy", new() { HybridVectorWeight = 1, HybridKeywordWeight = 3 });
        await vectorHeavy.UpsertAsync(records);
        await keywordHeavy.UpsertAsync(records);
        var query = new ReadOnlyMemory<float>([1, 0, 0, 0]);

        // With no keyword weight the fusion is the vector ranking; with keywords weighted, the keyword match leads.
        var byVector = await vectorHeavy.HybridSearchAsync(query, ["lemon"], 2).Select(r => r.Record.Id).ToListAsync();
        var byKeyword = await keywordHeavy.HybridSearchAsync(query, ["lemon"], 2).Select(r => r.Record.Id).ToListAsync();

        Assert.Equal([1L, 2L], byVector);
        Assert.Equal([2L, 1L], byKeyword);
    }
}
