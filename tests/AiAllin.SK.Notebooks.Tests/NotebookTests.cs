using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace AiAllin.SK.Notebooks.Tests;

[Collection(NotebookKernel.Name)]
public sealed partial class NotebookTests(PackedPackages packages, ITestOutputHelper output)
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(RepositoryPaths.Notebooks, "*.ipynb").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Fact]
    public void Notebooks_Exist()
    {
        Assert.True(Notebooks().Count >= 5, $"expected the numbered notebooks in {RepositoryPaths.Notebooks}");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_RunsEveryCellInOrder(string notebook)
    {
        RequireServersUnderCi();
        var cells = NotebookRunner.CodeCells(NotebookRunner.Read(Path.Combine(RepositoryPaths.Notebooks, notebook)));
        var previousDirectory = Environment.CurrentDirectory;
        var previousPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        var watch = Stopwatch.StartNew();
        NotebookRun run;
        try
        {
            // The kernel restores through `dotnet` in its working directory: the NuGet.Config there points at the
            // packed packages and a fresh global-packages folder, which NUGET_PACKAGES would otherwise override.
            Environment.CurrentDirectory = packages.WorkDirectory;
            Environment.SetEnvironmentVariable("NUGET_PACKAGES", packages.GlobalPackagesFolder);
            run = await NotebookRunner.RunAsync(notebook, cells, forceRestore: true);
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            Environment.SetEnvironmentVariable("NUGET_PACKAGES", previousPackages);
        }

        output.WriteLine($"{notebook}: {run.CellsRun} of {cells.Count} code cells run in {watch.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(run.Outputs);
        Assert.True(run.Succeeded, run.Describe());
        Assert.Equal(cells.Count, run.CellsRun);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_IsPolyglotCSharpWithOutputsCleared(string notebook)
    {
        var path = Path.Combine(RepositoryPaths.Notebooks, notebook);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        Assert.Equal(".net-csharp", root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal(4, root.GetProperty("nbformat").GetInt32());

        foreach (var (cell, index) in root.GetProperty("cells").EnumerateArray().Select((c, i) => (c, i + 1)))
        {
            if (cell.GetProperty("cell_type").GetString() != "code")
            {
                continue;
            }

            Assert.True(cell.GetProperty("outputs").GetArrayLength() == 0, $"{notebook} cell {index}: outputs must be cleared before committing.");
            Assert.True(cell.GetProperty("execution_count").ValueKind == JsonValueKind.Null, $"{notebook} cell {index}: execution count must be cleared.");
            var language = cell.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelName").GetString();
            Assert.True(language == "csharp", $"{notebook} cell {index}: kernel '{language}', expected csharp.");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_ReferencesThePackedVersion(string notebook)
    {
        var cells = NotebookRunner.CodeCells(NotebookRunner.Read(Path.Combine(RepositoryPaths.Notebooks, notebook)));
        var references = cells.SelectMany(c => PackageReference().Matches(c.Code)).ToList();
        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            Assert.True(
                reference.Groups["version"].Value == packages.Version,
                $"{notebook}: '{reference.Value}' should reference the packed version {packages.Version}.");
        }
    }

    [Fact]
    public void NuGetConfigBesideTheNotebooks_PointsAtThePackOutput()
    {
        var config = File.ReadAllText(Path.Combine(RepositoryPaths.Notebooks, "NuGet.Config"));
        Assert.Contains("../artifacts/packages", config, StringComparison.Ordinal);
    }

    private static void RequireServersUnderCi()
    {
        if (!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        foreach (var variable in new[] { "AIALLIN_POSTGRES_URL", "AIALLIN_REDIS_URL" })
        {
            Assert.False(string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable)), $"{variable} is required under CI=true: the notebooks run against the real servers there.");
        }
    }

    [GeneratedRegex("""#r\s+"nuget:\s*(?<id>AiAllin\.SK\.[A-Za-z.]+)\s*,\s*(?<version>[^"\s]+)\s*"?""")]
    private static partial Regex PackageReference();
}
