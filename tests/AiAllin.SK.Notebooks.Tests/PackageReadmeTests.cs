using System.IO.Compression;

namespace AiAllin.SK.Notebooks.Tests;

/// <summary>Each packed library carries its own short README for NuGet, not the repository's.</summary>
[Collection(NotebookKernel.Name)]
public sealed class PackageReadmeTests(PackedPackages packages)
{
    [Fact]
    public void EveryPackage_CarriesItsOwnShortReadme()
    {
        var repositoryReadme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var nupkgs = Directory.EnumerateFiles(packages.PackagesFolder, $"AiAllin.SK.*.{packages.Version}.nupkg").ToList();
        Assert.NotEmpty(nupkgs);
        foreach (var nupkg in nupkgs)
        {
            var id = Path.GetFileName(nupkg)[..^$".{packages.Version}.nupkg".Length];
            using var archive = ZipFile.OpenRead(nupkg);
            var entry = archive.GetEntry("README.md");
            Assert.True(entry is not null, $"{id}: the package has no README.md");
            using var reader = new StreamReader(entry.Open());
            var readme = reader.ReadToEnd();
            Assert.True(readme != repositoryReadme, $"{id}: the package carries the repository README instead of its own");
            Assert.StartsWith($"# {id}", readme, StringComparison.Ordinal);
            Assert.True(readme.Split('\n').Length <= 40, $"{id}: a package README is a short summary (at most 40 lines)");
            Assert.Contains("notebooks/", readme, StringComparison.Ordinal);
        }
    }
}
