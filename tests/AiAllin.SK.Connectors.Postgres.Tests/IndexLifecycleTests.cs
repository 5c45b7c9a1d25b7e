using System.Collections.Concurrent;
using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres.Tests;

/// <summary>The public index API (build, rebuild, drop, concurrently, progress) and IVFFlat built only over data.</summary>
public sealed class IndexLifecycleTests
{
    [PostgresFact]
    public async Task IvfFlat_OnANewCollection_IsNotBuiltEmpty_AndSearchesAnswerExactly()
    {
        await using var fixture = await PostgresFixture.CreateAsync("indexes");
        var collection = fixture.Store.GetDynamicCollection("ivf", IvfDefinition(8));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Enumerable.Range(0, 3).Select(i => Row(i, 8)));

        // An IVFFlat index trained on an empty table would have answered this with nothing.
        var results = await collection.SearchAsync(new ReadOnlyMemory<float>(Articles.Vector(1, 8)), 3).ToListAsync();

        Assert.Equal(3, results.Count);
        Assert.Equal(1, results[0].Record["id"]);
        Assert.Null(await fixture.IndexDefinitionAsync("ivfflat"));
    }

    [PostgresFact]
    public async Task IvfFlat_BuildOnAnEmptyCollection_IsRefusedSayingWhenToBuild()
    {
        await using var fixture = await PostgresFixture.CreateAsync("indexes");
        var collection = fixture.Store.GetDynamicCollection("ivf", IvfDefinition(8));
        await collection.EnsureCollectionExistsAsync();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => collection.BuildIndexesAsync());

        Assert.Contains("Load the data, then build the index", exception.Message, StringComparison.Ordinal);
        Assert.Null(await fixture.IndexDefinitionAsync("ivfflat"));
        Assert.True(await collection.CollectionExistsAsync());
    }

    [PostgresFact]
    public async Task IvfFlat_BuiltOverData_TakesListsFromTheRowCount_AndDefaultProbesFromTheIndex()
    {
        await using var fixture = await PostgresFixture.CreateAsync("indexes");
        var collection = fixture.Store.GetDynamicCollection("ivf", IvfDefinition(8));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Enumerable.Range(0, 4000).Select(i => Row(i, 8)));

        var built = await collection.BuildIndexesAsync();

        Assert.Single(built);
        Assert.Contains("lists='4'", await fixture.IndexDefinitionAsync("ivfflat"), StringComparison.Ordinal);
        foreach (var id in new[] { 7, 1234, 3999 })
        {
            var nearest = await collection.SearchAsync(new ReadOnlyMemory<float>(Articles.Vector(id, 8)), 1).SingleAsync();
            Assert.Equal(id, nearest.Record["id"]);
        }

        // The default probes is sqrt(lists) = 2, read from the index in the query's own statement.
        Assert.Equal("2", await ProbesSeenBySearchAsync(fixture));
    }

    [PostgresFact]
    public async Task IvfFlat_ListsOption_OverridesTheRowCount_AndEnsureBuildsTheMissingIndexOverData()
    {
        await using var fixture = await PostgresFixture.CreateAsync("indexes");
        var options = new PostgresCollectionOptions { Definition = IvfDefinition(8), IvfFlatLists = 7, Schema = fixture.Schema };
        var collection = new PostgresDynamicCollection(fixture.DataSource, "ivf", options);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Enumerable.Range(0, 100).Select(i => Row(i, 8)));

        await new PostgresDynamicCollection(fixture.DataSource, "ivf", options).EnsureCollectionExistsAsync();

        Assert.Contains("lists='7'", await fixture.IndexDefinitionAsync("ivfflat"), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task DropThenBuild_AroundABulkLoad_KeepsEveryRecordAndRestoresTheDeclaredIndex()
    {
        await using var fixture = await PostgresFixture.CreateAsync("indexes");
        var collection = await fixture.ArticlesAsync();
        var declared = await fixture.IndexDefinitionAsync("hnsw");

        var dropped = await collection.DropIndexesAsync(vectorIndexesOnly: true);
        await collection.UpsertAsync(Enumerable.Range(1, 2000).Select(i => Articles.Make(i, $"article {i}", Articles.Vector(i, 4))));
        var exact = await collection.SearchAsync(new ReadOnlyMemory<float>(Articles.Vector(1500, 4)), 1).SingleAsync();
        var built = await collection.BuildIndexesAsync();

        Assert.Single(dropped);
        Assert.Equal(dropped, built);
        Assert.Equal(declared, await fixture.IndexDefinitionAsync("hnsw"));
        Assert.Equal(1500, exact.Record.Id);
        Assert.Equal(1500, (await collection.SearchAsync(new ReadOnlyMemory<float>(Articles.Vector(1500, 4)), 1).SingleAsync()).Record.Id);
        Assert.Equal(2000, await fixture.CountAsync("articles"));
    }

    [PostgresFact]
    public async Task Build_SkipsValidIndexes_UnlessRebuildIsAsked()
    {
        await using var fixture = await PostgresFixture.CreateAsync("indexes");
        var collection = await fixture.ArticlesAsync();
        await collection.UpsertAsync(Enumerable.Range(1, 20).Select(i => Articles.Make(i, $"article {i}", Articles.Vector(i, 4))));
        var oid = await IndexOidAsync(fixture, "hnsw");

        var skipped = await collection.BuildIndexesAsync();
        var rebuilt = await collection.BuildIndexesAsync(new PostgresIndexBuildOptions { Rebuild = true, VectorIndexesOnly = true, MaintenanceWorkMem = "64MB", ParallelWorkers = 0 });

        Assert.Empty(skipped);
        Assert.Single(rebuilt);
        Assert.NotEqual(oid, await IndexOidAsync(fixture, "hnsw"));
    }

    [PostgresFact]
    public async Task ConcurrentBuild_ReportsProgressFromTheServer_AndLeavesAValidIndex()
    {
        await using var fixture = await PostgresFixture.CreateAsync("indexes");
        var collection = fixture.Store.GetDynamicCollection("big", HnswDefinition(64));
        await collection.EnsureCollectionExistsAsync();
        await collection.DropIndexesAsync();
        await collection.UpsertAsync(Enumerable.Range(0, 8000).Select(i => Row(i, 64)));
        var reports = new ConcurrentQueue<PostgresIndexBuildProgress>();

        await collection.BuildIndexesAsync(
            new PostgresIndexBuildOptions { Concurrently = true, ProgressInterval = TimeSpan.FromMilliseconds(5) },
            new InlineProgress(reports.Enqueue));

        Assert.Equal("done", reports.Last().Phase);
        Assert.Contains(reports, r => r.Phase != "done" && r.Phase.Length > 0);
        Assert.True(await IndexIsValidAsync(fixture, "hnsw"));
    }

    [PostgresFact]
    public async Task CancelledConcurrentBuild_KeepsTheData_AndTheNextBuildReplacesTheInvalidIndex()
    {
        await using var fixture = await PostgresFixture.CreateAsync("indexes");
        var collection = fixture.Store.GetDynamicCollection("big", HnswDefinition(64));
        await collection.EnsureCollectionExistsAsync();
        await collection.DropIndexesAsync();
        await collection.UpsertAsync(Enumerable.Range(0, 8000).Select(i => Row(i, 64)));
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();

        var build = collection.BuildIndexesAsync(
            new PostgresIndexBuildOptions { Concurrently = true, ProgressInterval = TimeSpan.FromMilliseconds(5) },
            new InlineProgress(r => { if (r.Phase.StartsWith("building", StringComparison.Ordinal)) { started.TrySetResult(); } }),
            cancel.Token);
        await Task.WhenAny(started.Task, build);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => build);
        Assert.Equal(8000, await fixture.CountAsync("big"));
        var rebuilt = await collection.BuildIndexesAsync(new PostgresIndexBuildOptions { Concurrently = true });
        Assert.Single(rebuilt);
        Assert.True(await IndexIsValidAsync(fixture, "hnsw"));
    }

    [Theory]
    [InlineData("lots", null)]
    [InlineData("1GB; DROP TABLE x", null)]
    [InlineData(null, -1)]
    public async Task BuildOptions_Invalid_AreRefusedBeforeTheServerIsAsked(string? memory, int? workers)
    {
        // An unreachable server: the options must be refused before any connection is opened.
        await using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=9;Timeout=1");
        var collection = new PostgresVectorStore(dataSource).GetDynamicCollection("never", HnswDefinition(4));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => collection.BuildIndexesAsync(new PostgresIndexBuildOptions { MaintenanceWorkMem = memory, ParallelWorkers = workers }));
    }

    private static VectorStoreCollectionDefinition IvfDefinition(int dimensions) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("id", typeof(int)),
            new VectorStoreVectorProperty("embedding", typeof(ReadOnlyMemory<float>), dimensions) { IndexKind = IndexKind.IvfFlat, DistanceFunction = DistanceFunction.EuclideanDistance },
        ],
    };

    private static VectorStoreCollectionDefinition HnswDefinition(int dimensions) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("id", typeof(int)),
            new VectorStoreVectorProperty("embedding", typeof(ReadOnlyMemory<float>), dimensions) { IndexKind = IndexKind.Hnsw },
        ],
    };

    private static Dictionary<string, object?> Row(int id, int dimensions)
        => new() { ["id"] = id, ["embedding"] = new ReadOnlyMemory<float>(Articles.Vector(id, dimensions)) };

    private static async Task<string> ProbesSeenBySearchAsync(PostgresFixture fixture)
    {
        // The statement the collection sends before an IVFFlat search without explicit probes, then the setting it made.
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(PostgresIndexes.DefaultProbesSettingSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = $"\"{fixture.Schema}\".\"{IndexName(await fixture.IndexDefinitionAsync("ivfflat"))}\"" });
        command.Parameters.Add(new NpgsqlParameter { Value = "off" });
        command.Parameters.Add(new NpgsqlParameter { Value = PostgresIndexes.DefaultProbesFactor(PostgresVectorQuantization.None) });
        await command.ExecuteNonQueryAsync();
        await using var read = new NpgsqlCommand("SELECT current_setting('ivfflat.probes')", connection, transaction);
        return (string)(await read.ExecuteScalarAsync())!;
    }

    private static string IndexName(string? definition)
        => definition!["CREATE INDEX ".Length..definition!.IndexOf(" ON ", StringComparison.Ordinal)].Trim('"');

    private static async Task<uint> IndexOidAsync(PostgresFixture fixture, string accessMethod)
    {
        await using var command = fixture.DataSource.CreateCommand(
            "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam WHERE n.nspname = $1 AND c.relkind = 'i' AND a.amname = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = fixture.Schema });
        command.Parameters.Add(new NpgsqlParameter { Value = accessMethod });
        return (uint)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<bool> IndexIsValidAsync(PostgresFixture fixture, string accessMethod)
    {
        await using var command = fixture.DataSource.CreateCommand(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam WHERE n.nspname = $1 AND a.amname = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = fixture.Schema });
        command.Parameters.Add(new NpgsqlParameter { Value = accessMethod });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Reports on the calling thread (<see cref="Progress{T}"/> would post to the thread pool and reorder reports).</summary>
    private sealed class InlineProgress(Action<PostgresIndexBuildProgress> report) : IProgress<PostgresIndexBuildProgress>
    {
        public void Report(PostgresIndexBuildProgress value) => report(value);
    }
}
