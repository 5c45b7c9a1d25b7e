namespace AiAllin.SK.Connectors.Postgres.Tests;

/// <summary>Tests that measure the process's heap run in this collection, after the parallel ones and alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialMemoryTests
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Serial memory measurements";
}
