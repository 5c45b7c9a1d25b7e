using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using AiAllin.SK.Connectors.Postgres;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Top-10 cosine search on PostgreSQL over structured 384-dim vectors (near a 16-dim subspace, see
/// <see cref="SyntheticVectors"/>): HNSW (m = 16, ef_construction = 64, ef_search 40) against an exact scan of the same
/// table, unfiltered and with a 10% filter. The setup loads the records, builds the HNSW index (timed, with
/// <c>maintenance_work_mem</c> and parallel workers) and prints recall@10 of HNSW against the exact results.
/// The record count is <c>AIALLIN_BENCH_RECORDS</c> (default 100,000).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class PostgresSearchBenchmarks
{
    private const int Top = 10;
    private const int QueryCount = 50;
    private const int Categories = 10;
    private const int FilterCategory = 3;
    private const int LoadBatch = 10_000;

    private static readonly PostgresSearchSettings Exact = new() { ExactScan = true };

    private string _schema = "";
    private NpgsqlDataSource _dataSource = null!;
    private PostgresVectorStore _store = null!;
    private PostgresCollection<int, BenchRecord> _collection = null!;
    private ReadOnlyMemory<float>[] _queries = [];
    private VectorSearchOptions<BenchRecord> _filtered = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL")
            ?? throw new InvalidOperationException("Set AIALLIN_POSTGRES_URL (eval \"$(bash eng/services-start.sh)\").");
        var count = int.Parse(Environment.GetEnvironmentVariable("AIALLIN_BENCH_RECORDS") ?? "100000", CultureInfo.InvariantCulture);
        _schema = "bench_search_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        _dataSource = PostgresVectorStore.CreateDataSource(connectionString);
        _store = new PostgresVectorStore(_dataSource, new PostgresVectorStoreOptions { Schema = _schema });
        _collection = _store.GetCollection<int, BenchRecord>("records");
        await _collection.EnsureCollectionExistsAsync();
        _filtered = new() { Filter = r => r.Category == FilterCategory };

        // Loading into an empty HNSW index inserts row by row; building it once over the loaded table is what a bulk load does.
        await _collection.DropIndexesAsync(vectorIndexesOnly: true);

        var vectors = new SyntheticVectors(BenchRecord.Dimensions, seed: 11);
        var load = Stopwatch.StartNew();
        for (var start = 0; start < count; start += LoadBatch)
        {
            await _collection.UpsertAsync(Enumerable.Range(start, Math.Min(LoadBatch, count - start))
                .Select(i => new BenchRecord { Id = i, Category = vectors.NextCategory(Categories), Embedding = vectors.Next() }).ToList());
        }

        Console.WriteLine($"// Loaded {count:N0} records in {load.Elapsed.TotalSeconds:F1} s ({count / load.Elapsed.TotalSeconds:N0} records/s).");

        var build = Stopwatch.StartNew();
        await _collection.BuildIndexesAsync(new PostgresIndexBuildOptions { VectorIndexesOnly = true, MaintenanceWorkMem = "1GB", ParallelWorkers = 2 });
        await ExecuteAsync($"ANALYZE \"{_schema}\".records");
        Console.WriteLine($"// HNSW build over {count:N0} x {BenchRecord.Dimensions} dims: {build.Elapsed.TotalSeconds:F1} s.");

        _queries = [.. Enumerable.Range(0, QueryCount).Select(_ => new ReadOnlyMemory<float>(vectors.Next()))];
        Console.WriteLine($"// recall@10 HNSW vs exact: {await RecallAsync(null):F3}; with the 10% filter: {await RecallAsync(_filtered):F3}.");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
        _store.Dispose();
        await _dataSource.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = QueryCount)]
    public async Task<int> ExactScan()
    {
        var found = 0;
        foreach (var query in _queries)
        {
            found += await _collection.SearchAsync(query, Top, Exact).CountAsync();
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public async Task<int> Hnsw()
    {
        var found = 0;
        foreach (var query in _queries)
        {
            found += await _collection.SearchAsync(query, Top).CountAsync();
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public async Task<int> ExactScanFiltered()
    {
        var found = 0;
        foreach (var query in _queries)
        {
            found += await _collection.SearchAsync(query, Top, Exact, _filtered).CountAsync();
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public async Task<int> HnswFiltered()
    {
        var found = 0;
        foreach (var query in _queries)
        {
            found += await _collection.SearchAsync(query, Top, _filtered).CountAsync();
        }

        return found;
    }

    private async Task<double> RecallAsync(VectorSearchOptions<BenchRecord>? options)
    {
        var hits = 0;
        var full = true;
        foreach (var query in _queries)
        {
            var exact = await _collection.SearchAsync(query, Top, Exact, options).Select(r => r.Record.Id).ToListAsync();
            var approximate = await _collection.SearchAsync(query, Top, options).Select(r => r.Record.Id).ToListAsync();
            hits += approximate.Intersect(exact).Count();
            full &= approximate.Count == Top;
        }

        if (!full)
        {
            Console.WriteLine("// Some approximate searches returned fewer than 10 results.");
        }

        return hits / (double)(QueryCount * Top);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
