using System.Diagnostics;
using System.Reflection;
using System.Security;

namespace AiAllin.SK.Notebooks.Tests;

/// <summary>
/// The packed AiAllin.SK packages the notebooks reference, and a NuGet setup in which the notebook kernel restores
/// exactly those bytes. Created once per test run.
/// </summary>
/// <remarks>
/// The packages come from <c>AIALLIN_PACKAGES</c> when it names a folder of .nupkg files (CI packs before testing),
/// otherwise from <c>dotnet pack --no-build</c> of the solution into a temporary folder. Restores go to a fresh
/// global-packages folder, because a re-packed 0.1.0 would otherwise be served from the user's NuGet cache; every
/// other package is found through a fallback folder over that cache, so nothing is downloaded twice.
/// </remarks>
public sealed class PackedPackages : IDisposable
{
    private const string PackageIdPrefix = "AiAllin.SK.";

    public PackedPackages()
    {
        WorkDirectory = Directory.CreateTempSubdirectory("aiallin-notebooks-").FullName;
        PackagesFolder = LocatePackages(WorkDirectory);
        Version = ReadPackedVersion(PackagesFolder);
        GlobalPackagesFolder = Directory.CreateDirectory(Path.Combine(WorkDirectory, "nuget-packages")).FullName;
        FallbackFolder = CreateFallbackFolder(Path.Combine(WorkDirectory, "nuget-fallback"));
        WriteNuGetConfig(Path.Combine(WorkDirectory, "NuGet.Config"), PackagesFolder, GlobalPackagesFolder, FallbackFolder);
    }

    /// <summary>The folder the kernel runs in: it holds the NuGet.Config that points restores at <see cref="PackagesFolder"/>.</summary>
    public string WorkDirectory { get; }

    /// <summary>The folder with the packed .nupkg files.</summary>
    public string PackagesFolder { get; }

    /// <summary>The version the packages were packed with.</summary>
    public string Version { get; }

    /// <summary>The fresh global-packages folder restores extract into.</summary>
    public string GlobalPackagesFolder { get; }

    /// <summary>Links to the user's NuGet cache without any AiAllin.SK package: every other package resolves from there.</summary>
    public string FallbackFolder { get; }

    /// <summary>The configuration this test assembly (and so the libraries it packs) was built in.</summary>
    public static string Configuration { get; } =
        typeof(PackedPackages).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A restore still holding a file open: the temp folder is left for the OS to clean.
        }
    }

    private static string LocatePackages(string workDirectory)
    {
        var given = Environment.GetEnvironmentVariable("AIALLIN_PACKAGES");
        if (!string.IsNullOrWhiteSpace(given))
        {
            var full = Path.GetFullPath(given, RepositoryPaths.Root);
            if (!Directory.EnumerateFiles(full, PackageIdPrefix + "*.nupkg").Any())
            {
                throw new InvalidOperationException($"AIALLIN_PACKAGES is '{given}', but {full} holds no {PackageIdPrefix}*.nupkg. Run 'dotnet pack AiAllin.SK.sln -c Release' or unset it.");
            }

            return full;
        }

        var output = Directory.CreateDirectory(Path.Combine(workDirectory, "packages")).FullName;
        var (exitCode, log) = RunDotnet(
            RepositoryPaths.Root,
            "pack", RepositoryPaths.Solution, "-c", Configuration, "--no-build", "-nologo", $"-p:PackageOutputPath={output}");
        if (exitCode != 0 || !Directory.EnumerateFiles(output, PackageIdPrefix + "*.nupkg").Any())
        {
            throw new InvalidOperationException(
                $"The notebook tests run against the packed packages, and 'dotnet pack AiAllin.SK.sln -c {Configuration} --no-build' failed (exit {exitCode}). " +
                $"Build the solution first ('dotnet build AiAllin.SK.sln -c {Configuration}'), or set AIALLIN_PACKAGES to a folder of packed packages.{Environment.NewLine}{log}");
        }

        return output;
    }

    private static string ReadPackedVersion(string folder)
    {
        const string core = PackageIdPrefix + "Connectors.Core.";
        var nupkg = Directory.EnumerateFiles(folder, core + "*.nupkg").Select(Path.GetFileName).FirstOrDefault()
            ?? throw new InvalidOperationException($"{folder} holds no {core}*.nupkg.");
        return nupkg![core.Length..^".nupkg".Length];
    }

    private static string CreateFallbackFolder(string path)
    {
        // Links to every package of the user's cache except ours: a stale AiAllin.SK package there must never win.
        Directory.CreateDirectory(path);
        var userCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (!Directory.Exists(userCache))
        {
            return path;
        }

        foreach (var package in Directory.EnumerateDirectories(userCache))
        {
            var name = Path.GetFileName(package);
            if (!name.StartsWith(PackageIdPrefix, StringComparison.OrdinalIgnoreCase))
            {
                Directory.CreateSymbolicLink(Path.Combine(path, name), package);
            }
        }

        return path;
    }

    private static void WriteNuGetConfig(string path, string packages, string globalPackages, string fallback)
    {
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{SecurityElement.Escape(globalPackages)}" />
              </config>
              <packageSources>
                <add key="aiallin-packed" value="{SecurityElement.Escape(packages)}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="user-cache" value="{SecurityElement.Escape(fallback)}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    internal static (int ExitCode, string Log) RunDotnet(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
