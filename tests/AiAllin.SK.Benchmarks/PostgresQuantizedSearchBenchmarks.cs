using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using AiAllin.SK.Connectors.Postgres;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Top-10 cosine search on PostgreSQL over structured 384-dim vectors (<see cref="SyntheticVectors"/>) through five
/// indexes of the same rows, each built by the store's public index API (<see cref="PostgresCollectionOptions.Quantization"/>):
/// the float HNSW index, a <c>halfvec</c> HNSW expression index, and a <c>binary_quantize</c> bit index (HNSW with m 16
/// and m 8, and IVFFlat) searched with oversampling and re-ranked exactly; the exact scan is the baseline. The setup prints, per index, its
/// build time, <c>pg_relation_size</c> and recall@10 against the exact scan, and recall of the binary indexes per
/// oversampling factor (and IVFFlat probes). The record count is <c>AIALLIN_BENCH_RECORDS</c> (default 100,000).
/// </summary>
[Config(typeof(LongSetupInProcessConfig))]
public class PostgresQuantizedSearchBenchmarks
{
    private const int Top = 10;
    private const int QueryCount = 50;
    private const int LoadBatch = 10_000;
    private const string Table = "records";

    private static readonly PostgresSearchSettings Exact = new() { ExactScan = true };
    private static readonly PostgresIndexBuildOptions Build = new() { VectorIndexesOnly = true, MaintenanceWorkMem = "1GB", ParallelWorkers = 2 };

    // The benchmarks run in one process and share one load and one build of every index (about as long as all the
    // measurements); the schema is dropped when the process exits.
    private static readonly SemaphoreSlim SetupLock = new(1, 1);
    private static string _schema = "";
    private static NpgsqlDataSource _dataSource = null!;
    private static PostgresVectorStore _store = null!;
    private static PostgresCollection<int, BenchRecord> _float = null!;
    private static PostgresCollection<int, BenchRecord> _half = null!;
    private static PostgresCollection<int, BenchRecord> _binary = null!;
    private static PostgresCollection<int, BenchRecord> _binaryM8 = null!;
    private static PostgresCollection<int, BenchRecord> _binaryIvf = null!;
    private static ReadOnlyMemory<float>[] _queries = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await SetupLock.WaitAsync();
        try
        {
            if (_queries.Length == 0)
            {
                await PrepareAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => CleanupAsync().GetAwaiter().GetResult();
            }
        }
        finally
        {
            SetupLock.Release();
        }
    }

    private static async Task PrepareAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL")
            ?? throw new InvalidOperationException("Set AIALLIN_POSTGRES_URL (eval \"$(bash eng/services-start.sh)\").");
        var count = int.Parse(Environment.GetEnvironmentVariable("AIALLIN_BENCH_RECORDS") ?? "100000", CultureInfo.InvariantCulture);
        _schema = "bench_quant_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        _dataSource = PostgresVectorStore.CreateDataSource(connectionString);
        _store = new PostgresVectorStore(_dataSource, new PostgresVectorStoreOptions { Schema = _schema });

        // Three collection objects over one table, each declaring its own vector index (with its own name); the binary
        // indexes with other build settings go on copies of the table, since they would share the binary index's name.
        _float = _store.GetCollection<int, BenchRecord>(Table);
        _half = _store.GetCollection<int, BenchRecord>(Table, new PostgresCollectionOptions { Quantization = PostgresVectorQuantization.HalfPrecision });
        _binary = _store.GetCollection<int, BenchRecord>(Table, new PostgresCollectionOptions { Quantization = PostgresVectorQuantization.Binary });
        _binaryM8 = _store.GetCollection<int, BenchRecord>(Table + "_m8", new PostgresCollectionOptions { Quantization = PostgresVectorQuantization.Binary, HnswM = 8 });
        // A binary IVFFlat index searches 4 x the square root of lists by default (40 here): pgvector's own default (10)
        // caps its recall near 0.86, as the setup's sweep shows, since one bit per dimension ranks lists coarsely.
        _binaryIvf = _store.GetCollection<int, BenchRecord>(Table + "_ivf", new PostgresCollectionOptions
        {
            Quantization = PostgresVectorQuantization.Binary,
            Definition = new VectorStoreCollectionDefinition
            {
                Properties =
                [
                    new VectorStoreKeyProperty(nameof(BenchRecord.Id), typeof(int)),
                    new VectorStoreDataProperty(nameof(BenchRecord.Category), typeof(int)) { IsIndexed = true },
                    new VectorStoreVectorProperty(nameof(BenchRecord.Embedding), typeof(ReadOnlyMemory<float>), BenchRecord.Dimensions)
                    {
                        DistanceFunction = DistanceFunction.CosineSimilarity,
                        IndexKind = IndexKind.IvfFlat,
                    },
                ],
            },
        });

        // Loaded without vector indexes, then each index is built over the data, as a bulk load does.
        await _float.EnsureCollectionExistsAsync();
        await _float.DropIndexesAsync(vectorIndexesOnly: true);
        var vectors = new SyntheticVectors(BenchRecord.Dimensions, seed: 11);
        for (var start = 0; start < count; start += LoadBatch)
        {
            await _float.UpsertAsync(Enumerable.Range(start, Math.Min(LoadBatch, count - start))
                .Select(i => new BenchRecord { Id = i, Category = vectors.NextCategory(10), Embedding = vectors.Next() }).ToList());
        }

        foreach (var copy in new[] { _binaryM8, _binaryIvf })
        {
            await copy.EnsureCollectionExistsAsync();
            await copy.DropIndexesAsync(vectorIndexesOnly: true);
            await ExecuteAsync($"INSERT INTO \"{_schema}\".\"{copy.Name}\" SELECT * FROM \"{_schema}\".{Table}");
            await ExecuteAsync($"ANALYZE \"{_schema}\".\"{copy.Name}\"");
        }

        var builds = new List<(string Label, PostgresCollection<int, BenchRecord> Collection, string Index, TimeSpan Build)>();
        foreach (var (label, collection, index) in new[]
        {
            ("float HNSW", _float, "records_Embedding_idx"),
            ("halfvec HNSW", _half, "records_Embedding_hv_idx"),
            ("binary HNSW + re-rank", _binary, "records_Embedding_bq_idx"),
            ("binary HNSW m=8 + re-rank", _binaryM8, "records_m8_Embedding_bq_idx"),
            ("binary IVFFlat + re-rank", _binaryIvf, "records_ivf_Embedding_bq_idx"),
        })
        {
            var watch = Stopwatch.StartNew();
            await collection.BuildIndexesAsync(Build);
            builds.Add((label, collection, index, watch.Elapsed));
        }

        await ExecuteAsync($"ANALYZE \"{_schema}\".{Table}");

        _queries = [.. Enumerable.Range(0, QueryCount).Select(_ => new ReadOnlyMemory<float>(vectors.Next()))];
        var exact = new List<List<int>>();
        foreach (var query in _queries)
        {
            exact.Add(await _float.SearchAsync(query, Top, Exact).Select(r => r.Record.Id).ToListAsync());
        }

        Console.WriteLine($"// {count:N0} x {BenchRecord.Dimensions} dims; index | build s | size MB | recall@10 vs exact (default oversampling)");
        foreach (var (label, collection, index, build) in builds)
        {
            await using var command = _dataSource.CreateCommand("SELECT pg_relation_size(to_regclass($1))");
            command.Parameters.Add(new NpgsqlParameter { Value = $"\"{_schema}\".\"{index}\"" });
            var bytes = (long)(await command.ExecuteScalarAsync())!;
            Console.WriteLine($"// {label} | {build.TotalSeconds:F1} | {bytes / 1048576.0:F1} | {await RecallAsync(collection, exact, new()):F3}");
        }

        foreach (var factor in new[] { 1, 2, 4, 8, 16 })
        {
            var settings = new PostgresSearchSettings { Oversampling = factor };
            Console.WriteLine(
                $"// oversampling {factor}: recall@10 binary HNSW {await RecallAsync(_binary, exact, settings):F3}, m=8 {await RecallAsync(_binaryM8, exact, settings):F3}, " +
                $"IVFFlat probes 10 {await RecallAsync(_binaryIvf, exact, settings with { Probes = 10 }):F3}, probes 20 {await RecallAsync(_binaryIvf, exact, settings with { Probes = 20 }):F3}, " +
                $"probes 40 {await RecallAsync(_binaryIvf, exact, settings with { Probes = 40 }):F3}");
        }
    }

    private static async Task CleanupAsync()
    {
        await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
        _store.Dispose();
        await _dataSource.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = QueryCount)]
    public Task<int> ExactScan() => SearchAllAsync(_float, Exact);

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public Task<int> FloatHnsw() => SearchAllAsync(_float, null);

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public Task<int> HalfvecHnsw() => SearchAllAsync(_half, null);

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public Task<int> BinaryHnswRerank() => SearchAllAsync(_binary, null);

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public Task<int> BinaryHnswM8Rerank() => SearchAllAsync(_binaryM8, null);

    [Benchmark(OperationsPerInvoke = QueryCount)]
    public Task<int> BinaryIvfFlatRerank() => SearchAllAsync(_binaryIvf, null);

    private static async Task<int> SearchAllAsync(PostgresCollection<int, BenchRecord> collection, PostgresSearchSettings? settings)
    {
        var found = 0;
        foreach (var query in _queries)
        {
            found += settings is null
                ? await collection.SearchAsync(query, Top).CountAsync()
                : await collection.SearchAsync(query, Top, settings).CountAsync();
        }

        return found;
    }

    private static async Task<double> RecallAsync(PostgresCollection<int, BenchRecord> collection, List<List<int>> exact, PostgresSearchSettings settings)
    {
        var hits = 0;
        for (var q = 0; q < _queries.Length; q++)
        {
            var found = await collection.SearchAsync(_queries[q], Top, settings).Select(r => r.Record.Id).ToListAsync();
            hits += found.Intersect(exact[q]).Count();
        }

        return hits / (double)(QueryCount * Top);
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
