using AiAllin.SK.Testing.Servers;

namespace AiAllin.SK.Connectors.Postgres.Tests;

/// <summary>EnsureCollectionExistsAsync on an existing table builds the declared indexes it lacks, once, whoever calls it.</summary>
public sealed class MissingIndexTests
{
    [PostgresFact]
    public async Task EnsureCollectionExists_OnATableWithoutItsVectorIndex_BuildsIt_OnceUnderConcurrentCallers()
    {
        await using var fixture = await PostgresFixture.CreateAsync("missingidx");
        var collection = await fixture.ArticlesAsync();
        await collection.UpsertAsync(Enumerable.Range(1, 50).Select(i => Articles.Make(i, $"article {i}", Articles.Vector(i, 4))));
        var declared = await fixture.IndexDefinitionAsync("hnsw");
        Assert.NotNull(declared);

        // As a bulk load would: drop the index, keep the data.
        await fixture.Server.ExecuteAsync($"DROP INDEX \"{fixture.Schema}\".\"{IndexName(declared!)}\"");
        Assert.Null(await fixture.IndexDefinitionAsync("hnsw"));
        var migrationsBefore = await MigrationCountAsync(fixture);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.Store.GetCollection<long, Article>("articles").EnsureCollectionExistsAsync()));

        Assert.Equal(declared, await fixture.IndexDefinitionAsync("hnsw"));
        Assert.Equal(migrationsBefore + 1, await MigrationCountAsync(fixture));
        await collection.EnsureCollectionExistsAsync();
        Assert.Equal(migrationsBefore + 1, await MigrationCountAsync(fixture));
        Assert.Equal(50, await collection.GetAsync(a => a.Version == 1, 100).CountAsync());
    }

    [PostgresFact]
    public async Task EnsureCollectionExists_OnATableWithAllItsIndexes_ChangesNothing()
    {
        await using var fixture = await PostgresFixture.CreateAsync("missingidx");
        var collection = await fixture.ArticlesAsync();
        var migrations = await MigrationCountAsync(fixture);

        await collection.EnsureCollectionExistsAsync();

        Assert.Equal(migrations, await MigrationCountAsync(fixture));
    }

    private static string IndexName(string definition)
    {
        // "CREATE INDEX name ON schema.table USING ..."
        var name = definition["CREATE INDEX ".Length..definition.IndexOf(" ON ", StringComparison.Ordinal)];
        return name.Trim('"');
    }

    private static async Task<long> MigrationCountAsync(PostgresFixture fixture)
    {
        await using var command = fixture.DataSource.CreateCommand($"SELECT count(*) FROM \"{fixture.Schema}\".\"{PostgresSchema.MigrationsTable}\"");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
