using System.Diagnostics;
using Xunit.Abstractions;

namespace AiAllin.SK.Notebooks.Tests;

/// <summary>
/// samples/ExistingSkApp, an app outside the solution that references only the packed packages (and Microsoft's own SK
/// OpenAI connector beside them), builds and answers through a streamed tool call against a loopback server.
/// </summary>
[Collection(NotebookKernel.Name)]
public sealed class DropInAppTests(PackedPackages packages, ITestOutputHelper output)
{
    private static string AppDirectory => Path.Combine(RepositoryPaths.Root, "samples", "ExistingSkApp");

    [Fact]
    public void App_HasNoProjectReferenceIntoTheRepository()
    {
        var project = File.ReadAllText(Path.Combine(AppDirectory, "ExistingSkApp.csproj"));
        Assert.DoesNotContain("ProjectReference", project, StringComparison.Ordinal);
        Assert.Contains("Microsoft.SemanticKernel.Connectors.OpenAI", project, StringComparison.Ordinal);
        var solution = File.ReadAllText(RepositoryPaths.Solution);
        Assert.DoesNotContain("ExistingSkApp", solution, StringComparison.Ordinal);
    }

    [Fact]
    public async Task App_BuiltFromThePackages_StreamsAnAnswerThroughItsPlugin()
    {
        var postgres = Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL");
        if (string.IsNullOrWhiteSpace(postgres))
        {
            Assert.False(
                string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "AIALLIN_POSTGRES_URL is required under CI=true: the drop-in app stores its orders in PostgreSQL.");
            output.WriteLine("Skipped: AIALLIN_POSTGRES_URL is not set.");
            return;
        }

        // The app's NuGet.Config names ../../artifacts/packages; the packages under test are added as a source and
        // restored into this run's fresh folder, so nothing stale is taken from an earlier restore.
        Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "artifacts", "packages"));
        var appOutput = Path.Combine(packages.WorkDirectory, "existing-app");
        var (buildExit, buildLog) = PackedPackages.RunDotnet(
            AppDirectory,
            "build", "ExistingSkApp.csproj", "-c", "Release", "--force", "-nologo",
            $"-p:AiAllinVersion={packages.Version}",
            $"-p:RestoreAdditionalProjectSources={packages.PackagesFolder}",
            $"-p:RestorePackagesPath={packages.GlobalPackagesFolder}",
            $"-p:RestoreFallbackFolders={packages.FallbackFolder}",
            $"-p:BaseOutputPath={appOutput}/bin/",
            "-o", appOutput);
        output.WriteLine(buildLog);
        Assert.True(buildExit == 0, $"samples/ExistingSkApp did not build against the packed packages:{Environment.NewLine}{buildLog}");

        using var server = new LoopbackOpenAIServer("""{"orderId":"A-1001"}""");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appOutput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(appOutput, "ExistingSkApp.dll"));
        start.Environment["OPENAI_BASE_URL"] = server.BaseUrl;
        start.Environment["AIALLIN_POSTGRES_URL"] = postgres;
        using var app = Process.Start(start)!;
        var stderr = app.StandardError.ReadToEndAsync();
        var stdout = await app.StandardOutput.ReadToEndAsync();
        await app.WaitForExitAsync();
        var log = stdout + await stderr;
        output.WriteLine(log);

        Assert.True(app.ExitCode == 0, $"ExistingSkApp exited {app.ExitCode}:{Environment.NewLine}{log}");
        Assert.Equal(2, server.Requests);
        Assert.Contains("shipped on Monday", server.ToolResult, StringComparison.Ordinal);
        Assert.Contains("Here is what I found.", stdout, StringComparison.Ordinal);
        Assert.Contains("plugin calls: 1", stdout, StringComparison.Ordinal);
    }
}
