using System.Security.Cryptography;
using AiAllin.SK.Connectors.Postgres;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.VectorData;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Upsert throughput of one 10,000-record batch of 384-dim vectors on PostgreSQL: the store's upsert (lock keys, delete,
/// binary COPY, one transaction) against (a) a raw Npgsql binary COPY of the same rows into the same empty table, the
/// practical limit, and (b) per-record <c>INSERT ... ON CONFLICT</c> statements sent as one <see cref="NpgsqlBatch"/> per
/// 1,000 records, the way the existing .NET pgvector provider writes. The table has no vector index (Flat), so index
/// maintenance, which costs every method the same, does not hide the difference between write paths.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 20)]
[MinColumn]
[MedianColumn]
public class PostgresUpsertBenchmarks
{
    private const int BatchSize = 10_000;
    private const int StatementsPerBatch = 1000;

    private List<BenchRecord> _records = [];
    private string _schema = "";
    private NpgsqlDataSource _dataSource = null!;
    private PostgresVectorStore _store = null!;
    private PostgresCollection<int, BenchRecord> _empty = null!;
    private PostgresCollection<int, BenchRecord> _existing = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL")
            ?? throw new InvalidOperationException("Set AIALLIN_POSTGRES_URL (eval \"$(bash eng/services-start.sh)\").");
        _schema = "bench_upsert_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        _dataSource = PostgresVectorStore.CreateDataSource(connectionString);
        _store = new PostgresVectorStore(_dataSource, new PostgresVectorStoreOptions { Schema = _schema });
        var vectors = new SyntheticVectors(BenchRecord.Dimensions, seed: 7);
        _records = [.. Enumerable.Range(0, BatchSize).Select(i => new BenchRecord { Id = i, Category = vectors.NextCategory(10), Embedding = vectors.Next() })];

        _empty = _store.GetCollection<int, BenchRecord>("empty", new PostgresCollectionOptions { Definition = FlatDefinition() });
        await _empty.EnsureCollectionExistsAsync();
        _existing = _store.GetCollection<int, BenchRecord>("existing", new PostgresCollectionOptions { Definition = FlatDefinition() });
        await _existing.EnsureCollectionExistsAsync();
        await _existing.UpsertAsync(_records);
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

    [IterationSetup(Targets = [nameof(RawBinaryCopy), nameof(StoreUpsertIntoEmptyTable), nameof(InsertOnConflictBatches)])]
    public void TruncateEmptyTable()
    {
        using var truncate = _dataSource.CreateCommand($"TRUNCATE \"{_schema}\".\"empty\"");
        truncate.ExecuteNonQuery();
    }

    [Benchmark(Baseline = true)]
    public async Task RawBinaryCopy()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var importer = await connection.BeginBinaryImportAsync($"COPY \"{_schema}\".\"empty\" (\"Id\", \"Category\", \"Embedding\") FROM STDIN (FORMAT BINARY)");
        foreach (var record in _records)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(record.Id, NpgsqlDbType.Integer);
            await importer.WriteAsync(record.Category, NpgsqlDbType.Integer);
            await importer.WriteAsync(new Vector(record.Embedding), "vector");
        }

        await importer.CompleteAsync();
    }

    [Benchmark]
    public Task StoreUpsertIntoEmptyTable() => _empty.UpsertAsync(_records);

    [Benchmark]
    public Task StoreUpsertOverExistingKeys() => _existing.UpsertAsync(_records);

    [Benchmark]
    public async Task InsertOnConflictBatches()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var chunk in _records.Chunk(StatementsPerBatch))
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var record in chunk)
            {
                var command = new NpgsqlBatchCommand(
                    $"INSERT INTO \"{_schema}\".\"empty\" (\"Id\", \"Category\", \"Embedding\") VALUES ($1, $2, $3) " +
                    "ON CONFLICT (\"Id\") DO UPDATE SET \"Category\" = EXCLUDED.\"Category\", \"Embedding\" = EXCLUDED.\"Embedding\"");
                command.Parameters.Add(new NpgsqlParameter { Value = record.Id });
                command.Parameters.Add(new NpgsqlParameter { Value = record.Category });
                command.Parameters.Add(new NpgsqlParameter { Value = new Vector(record.Embedding) });
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static VectorStoreCollectionDefinition FlatDefinition() => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(BenchRecord.Id), typeof(int)),
            new VectorStoreDataProperty(nameof(BenchRecord.Category), typeof(int)) { IsIndexed = true },
            new VectorStoreVectorProperty(nameof(BenchRecord.Embedding), typeof(ReadOnlyMemory<float>), BenchRecord.Dimensions)
            {
                DistanceFunction = DistanceFunction.CosineSimilarity,
                IndexKind = IndexKind.Flat,
            },
        ],
    };
}
