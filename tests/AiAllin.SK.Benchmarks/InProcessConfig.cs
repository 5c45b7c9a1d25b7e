using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// A small job (one launch, 5 warmups, 15 iterations) run in the benchmark process itself: no per-run project build,
/// which on a loaded shared machine can outlast BenchmarkDotNet's build timeout.
/// </summary>
public sealed class InProcessConfig : ManualConfig
{
    public InProcessConfig() =>
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance).WithId("InProcess"));
}
