using AiAllin.SK.Connectors.InMemory;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Benchmarks;

/// <summary>Upsert throughput of one 10,000-record batch of 384-dim vectors, into an empty collection and over existing keys.</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class InMemoryUpsertBenchmarks
{
    private const int BatchSize = 10_000;

    private List<BenchRecord> _records = [];
    private InMemoryVectorStore _store = null!;
    private VectorStoreCollection<int, BenchRecord> _existing = null!;
    private int _collectionNumber;

    [GlobalSetup]
    public void Setup()
    {
        var vectors = new SyntheticVectors(BenchRecord.Dimensions, seed: 7);
        _records = [.. Enumerable.Range(0, BatchSize).Select(i => new BenchRecord { Id = i, Category = vectors.NextCategory(10), Embedding = vectors.Next() })];
        _store = new InMemoryVectorStore();
        _existing = _store.GetCollection<int, BenchRecord>("existing");
        _existing.EnsureCollectionExistsAsync().GetAwaiter().GetResult();
        _existing.UpsertAsync(_records).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Baseline = true)]
    public async Task UpsertIntoEmptyCollection()
    {
        // A fresh collection per invocation measures inserts; it is dropped so memory stays flat.
        var collection = _store.GetCollection<int, BenchRecord>("fresh" + Interlocked.Increment(ref _collectionNumber));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(_records);
        await collection.EnsureCollectionDeletedAsync();
    }

    [Benchmark]
    public Task UpsertOverExistingKeys() => _existing.UpsertAsync(_records);
}
