using System.Security.Cryptography;
using AiAllin.SK.Connectors.Postgres;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Npgsql;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Loading 10,000 records of 384-dim vectors into an HNSW-indexed collection, in batches of 1,000: upserting into the
/// indexed table (every row goes into the graph as it is written, the baseline) against the bulk-load path the store
/// documents: <c>DropIndexesAsync</c>, the same upserts into the unindexed table, then <c>BuildIndexesAsync</c>. Both end
/// with the same rows and the same declared index.
/// </summary>
[Config(typeof(Config))]
public class PostgresBulkLoadBenchmarks
{
    private const int Records = 10_000;
    private const int BatchSize = 1000;

    private List<BenchRecord> _records = [];
    private string _schema = "";
    private NpgsqlDataSource _dataSource = null!;
    private PostgresCollection<int, BenchRecord> _collection = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL")
            ?? throw new InvalidOperationException("Set AIALLIN_POSTGRES_URL (eval \"$(bash eng/services-start.sh)\").");
        _schema = "bench_bulk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        _dataSource = PostgresVectorStore.CreateDataSource(connectionString);
        var vectors = new SyntheticVectors(BenchRecord.Dimensions, seed: 11);
        _records = [.. Enumerable.Range(0, Records).Select(i => new BenchRecord { Id = i, Category = vectors.NextCategory(10), Embedding = vectors.Next() })];
        _collection = new PostgresCollection<int, BenchRecord>(_dataSource, "bulk", new PostgresCollectionOptions { Schema = _schema });
        await _collection.EnsureCollectionExistsAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await using (var drop = _dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await _dataSource.DisposeAsync();
    }

    /// <summary>Each load starts from an empty table with its declared indexes, as a new collection would.</summary>
    [IterationSetup]
    public void EmptyWithIndexes()
    {
        using (var truncate = _dataSource.CreateCommand($"TRUNCATE \"{_schema}\".\"bulk\""))
        {
            truncate.ExecuteNonQuery();
        }

        _collection.BuildIndexesAsync().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public async Task UpsertIntoIndexedTable()
    {
        foreach (var batch in _records.Chunk(BatchSize))
        {
            await _collection.UpsertAsync(batch);
        }
    }

    [Benchmark]
    public async Task DropLoadThenBuild()
    {
        await _collection.DropIndexesAsync(vectorIndexesOnly: true);
        foreach (var batch in _records.Chunk(BatchSize))
        {
            await _collection.UpsertAsync(batch);
        }

        await _collection.BuildIndexesAsync(new PostgresIndexBuildOptions { VectorIndexesOnly = true, MaintenanceWorkMem = "256MB" });
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // An index build is longer than the in-process toolchain's default limit for one operation.
            AddJob(Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true)).WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithId("InProcess"));
            AddColumn(StatisticColumn.Median);
        }
    }
}
