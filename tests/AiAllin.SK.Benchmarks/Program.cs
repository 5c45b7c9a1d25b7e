using BenchmarkDotNet.Running;

// Run one suite with: dotnet run -c Release --project tests/AiAllin.SK.Benchmarks -- --filter '*InMemorySearch*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
