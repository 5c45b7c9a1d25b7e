using System.Security.Cryptography;
using AiAllin.SK.Connectors.HuggingFace;
using AiAllin.SK.Connectors.InMemory;
using AiAllin.SK.Connectors.Postgres;
using AiAllin.SK.Plugins.Memory;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Recall end to end on 10,000 memories of one scope: embed the query with the bundled all-MiniLM-L6-v2, search the
/// store (scope and expiry filter, top 5), scan every hit for injections and format the prompt block. Baseline: the
/// query embedding alone, the part no store can avoid. The memories get synthetic 384-dim embeddings (see
/// <see cref="SyntheticVectors"/>) and are loaded straight into the data collection, because embedding 10,000 texts
/// with MiniLM would take minutes. PostgreSQL needs <c>AIALLIN_POSTGRES_URL</c>.
/// </summary>
[Config(typeof(InProcessConfig))]
public class MemoryRecallBenchmarks
{
    private const int Count = 10_000;
    private const int LoadBatch = 1_000;

    private static readonly string[] Queries =
    [
        "what does the customer prefer for delivery", "which invoices need a second approval", "when does support close on friday",
        "allergies of the user's daughter", "favourite programming language", "where is the new warehouse",
    ];

    private static readonly string[] Topics =
    [
        "delivery", "invoice", "support hours", "allergy", "programming", "warehouse", "travel", "meeting", "billing", "holiday",
    ];

    private readonly MemoryScope _scope = new("bench", "user");
    private LocalEmbeddingGenerator _generator = null!;
    private VectorStore _store = null!;
    private SemanticMemory _memory = null!;
    private NpgsqlDataSource? _dataSource;
    private string _schema = "";
    private int _next;

    [Params("inmemory", "postgres")]
    public string Store { get; set; } = "inmemory";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _generator = new LocalEmbeddingGenerator();
        if (Store == "postgres")
        {
            var connectionString = Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL")
                ?? throw new InvalidOperationException("Set AIALLIN_POSTGRES_URL (eval \"$(bash eng/services-start.sh)\").");
            _schema = "bench_memory_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            _dataSource = PostgresVectorStore.CreateDataSource(connectionString);
            _store = new PostgresVectorStore(_dataSource, new PostgresVectorStoreOptions { Schema = _schema });
        }
        else
        {
            _store = new InMemoryVectorStore();
        }

        _memory = new SemanticMemory(_store, _generator);

        // The first write creates the info record and the data collection; the rest goes in by batch.
        await _memory.AddAsync(_scope, "The benchmark starts here.");
        var collection = _store.GetCollection<string, MemoryRecord>("memories_v1", MemoryRecord.CreateDefinition(384));
        var vectors = new SyntheticVectors(384, seed: 5);
        var now = DateTimeOffset.UtcNow;
        for (var start = 0; start < Count; start += LoadBatch)
        {
            var batch = Enumerable.Range(start, LoadBatch).Select(i =>
            {
                var text = $"Memory {i} about {Topics[i % Topics.Length]}: note number {i} for the {Topics[(i / 7) % Topics.Length]} team.";
                return new MemoryRecord
                {
                    Key = Guid.NewGuid().ToString("N"),
                    Text = text,
                    ScopeKey = string.Join('\u001f', _scope.Tenant, _scope.User, string.Empty),
                    Tenant = _scope.Tenant,
                    User = _scope.User!,
                    Source = "bench",
                    Terms = text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries),
                    CreatedAt = now,
                    Embedding = vectors.Next(),
                };
            }).ToList();
            batch.ForEach(r => r.DocumentId = r.Key);
            await collection.UpsertAsync(batch);
        }

        await _generator.GenerateAsync(Queries);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _memory.Dispose();
        _store.Dispose();
        if (_dataSource is not null)
        {
            await using (var command = _dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE"))
            {
                await command.ExecuteNonQueryAsync();
            }

            await _dataSource.DisposeAsync();
        }

        _generator.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<int> EmbedQueryOnly()
    {
        var embeddings = await _generator.GenerateAsync([NextQuery()]);
        return embeddings[0].Vector.Length;
    }

    [Benchmark]
    public async Task<int> RecallEndToEnd()
    {
        var results = await _memory.SearchAsync(_scope, NextQuery(), new MemorySearchOptions { Top = 5 });
        return MemoryPromptFormatter.Format(results).Length;
    }

    private string NextQuery() => Queries[_next++ % Queries.Length];
}
