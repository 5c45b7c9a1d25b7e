namespace AiAllin.SK.Notebooks.Tests;

/// <summary>
/// Notebook runs share the packed packages and change the process's working directory (where the kernel's
/// restore finds its NuGet.Config), so they run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookKernel : ICollectionFixture<PackedPackages>
{
    public const string Name = "Notebook kernel";
}
