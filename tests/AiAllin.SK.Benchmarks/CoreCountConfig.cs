using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Runs every benchmark twice: with all cores, and with <c>DOTNET_PROCESSOR_COUNT=1</c>. The store partitions large
/// scans across <see cref="Environment.ProcessorCount"/> threads while the hand-written loops use one, so the one-core
/// job compares the work per core and the all-cores job the latency a caller sees. Ratios are per job.
/// </summary>
public sealed class CoreCountConfig : ManualConfig
{
    public CoreCountConfig()
    {
        // Six warmups: with one core, tier-up of the scan loops can otherwise land inside the measured iterations.
        var job = Job.Default.WithWarmupCount(6).WithIterationCount(12);
        AddJob(job.WithId("AllCores"));
        AddJob(job.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_PROCESSOR_COUNT", "1")).WithId("OneCore"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Min, StatisticColumn.Median);
    }
}
