namespace AiAllin.SK.Notebooks.Tests;

/// <summary>Finds the repository the tests were built from, so notebooks are read from source, not copied.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Notebooks => Path.Combine(Root, "notebooks");

    public static string Solution => Path.Combine(Root, "AiAllin.SK.sln");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AiAllin.SK.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"AiAllin.SK.sln was not found above {AppContext.BaseDirectory}.");
    }
}
