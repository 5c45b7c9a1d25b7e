using System.Collections.Concurrent;
using AiAllin.SK.Connectors.InMemory;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Loading 100,000 records of 384 dimensions in batches of 1,000 into an empty collection. Baseline: a
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> that keeps the caller's record objects, the way the CommunityToolkit
/// in-memory provider stores them (no copy, so a caller changing a record afterwards changes what is stored). The store
/// keeps its own copy of every value and vector, in chunks of contiguous rows ready for SIMD search.
/// </summary>
[Config(typeof(Config))]
public class InMemoryBatchUpsertBenchmarks
{
    private const int Records = 100_000;
    private const int BatchSize = 1_000;

    private List<BenchRecord[]> _batches = [];
    private InMemoryVectorStore _store = null!;
    private int _collectionNumber;

    [GlobalSetup]
    public void Setup()
    {
        var vectors = new SyntheticVectors(BenchRecord.Dimensions, seed: 5);
        var records = Enumerable.Range(0, Records).Select(i => new BenchRecord { Id = i, Category = vectors.NextCategory(10), Embedding = vectors.Next() }).ToArray();
        _batches = [.. records.Chunk(BatchSize)];
        _store = new InMemoryVectorStore();
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Baseline = true)]
    public int DictionaryOfRecordReferences()
    {
        var dictionary = new ConcurrentDictionary<object, object>();
        foreach (var batch in _batches)
        {
            foreach (var record in batch)
            {
                dictionary[record.Id] = record;
            }
        }

        return dictionary.Count;
    }

    [Benchmark]
    public async Task<int> StoreUpsert()
    {
        var collection = _store.GetCollection<int, BenchRecord>("load" + Interlocked.Increment(ref _collectionNumber));
        await collection.EnsureCollectionExistsAsync();
        foreach (var batch in _batches)
        {
            await collection.UpsertAsync(batch);
        }

        await collection.EnsureCollectionDeletedAsync();
        return Records;
    }

    /// <summary>In process: building a separate benchmark process outlasts BenchmarkDotNet's timeout on a busy machine.</summary>
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithWarmupCount(2).WithIterationCount(8).WithToolchain(InProcessEmitToolchain.Instance));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }
}
