using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// A short monitoring job run in process for suites whose setup loads a database and builds indexes: in process so the
/// setup can be shared by the suite's benchmarks, with a timeout long enough for that setup on the shared two-core
/// machine (the in-process default gives up after a few minutes).
/// </summary>
public sealed class LongSetupInProcessConfig : ManualConfig
{
    public LongSetupInProcessConfig()
        => AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(40), logOutput: true))
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(10)
            .WithId("InProcessMonitoring"));
}
