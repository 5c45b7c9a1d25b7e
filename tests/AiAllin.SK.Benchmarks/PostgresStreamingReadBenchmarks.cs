using System.Collections.Concurrent;
using System.Security.Cryptography;
using AiAllin.SK.Connectors.Postgres;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Reading 100,000 records of 384-dim vectors (with their vectors) through <c>GetAsync(filter)</c>: streamed one record at
/// a time (the store's behaviour) against collecting them into a list first (what the store did before, and what a
/// caller who needs every row does). The "Peak heap" column is the largest growth of the managed heap seen during the
/// read (sampled every 10,000 rows): flat when streaming, the whole result set when buffering. Runs in process, so the
/// column can read what the benchmark recorded.
/// </summary>
[Config(typeof(Config))]
public class PostgresStreamingReadBenchmarks
{
    private const int Records = 100_000;
    private static readonly ConcurrentDictionary<string, long> PeakHeapGrowth = new();

    private string _schema = "";
    private NpgsqlDataSource _dataSource = null!;
    private PostgresVectorStore _store = null!;
    private PostgresCollection<int, BenchRecord> _collection = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL")
            ?? throw new InvalidOperationException("Set AIALLIN_POSTGRES_URL (eval \"$(bash eng/services-start.sh)\").");
        _schema = "bench_stream_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        _dataSource = PostgresVectorStore.CreateDataSource(connectionString);
        _store = new PostgresVectorStore(_dataSource, new PostgresVectorStoreOptions { Schema = _schema });
        _collection = _store.GetCollection<int, BenchRecord>("records", new PostgresCollectionOptions
        {
            Definition = new()
            {
                Properties =
                [
                    new VectorStoreKeyProperty(nameof(BenchRecord.Id), typeof(int)),
                    new VectorStoreDataProperty(nameof(BenchRecord.Category), typeof(int)),
                    new VectorStoreVectorProperty(nameof(BenchRecord.Embedding), typeof(ReadOnlyMemory<float>), BenchRecord.Dimensions) { IndexKind = IndexKind.Flat },
                ],
            },
        });
        await _collection.EnsureCollectionExistsAsync();
        var vectors = new SyntheticVectors(BenchRecord.Dimensions, seed: 11);
        for (var start = 0; start < Records; start += 10_000)
        {
            await _collection.UpsertAsync(Enumerable.Range(start, 10_000).Select(i => new BenchRecord { Id = i, Category = i % 10, Embedding = vectors.Next() }).ToList());
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await using (var drop = _dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        _store.Dispose();
        await _dataSource.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task<int> BufferedList()
    {
        var start = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;
        var list = new List<BenchRecord>();
        await foreach (var record in Read())
        {
            list.Add(record);
            if (list.Count % 10_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false) - start);
            }
        }

        Record(nameof(BufferedList), peak);
        return list.Count;
    }

    [Benchmark]
    public async Task<int> Streamed()
    {
        var start = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;
        var count = 0;
        await foreach (var record in Read())
        {
            if (++count % 10_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false) - start);
            }
        }

        Record(nameof(Streamed), peak);
        return count;
    }

    private static void Record(string method, long peak) => PeakHeapGrowth.AddOrUpdate(method, peak, (_, old) => Math.Max(old, peak));

    private IAsyncEnumerable<BenchRecord> Read()
        => _collection.GetAsync(r => r.Category >= 0, Records, new FilteredRecordRetrievalOptions<BenchRecord> { IncludeVectors = true });

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
            AddDiagnoser(MemoryDiagnoser.Default);
            AddColumn(new PeakHeapColumn());
        }
    }

    private sealed class PeakHeapColumn : IColumn
    {
        public string Id => nameof(PeakHeapColumn);

        public string ColumnName => "Peak heap";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Size;

        public string Legend => "Largest growth of the managed heap during one read (sampled every 10,000 rows)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
            => PeakHeapGrowth.TryGetValue(benchmarkCase.Descriptor.WorkloadMethod.Name, out var bytes) ? $"{bytes / (1024.0 * 1024.0):0.0} MB" : "-";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
