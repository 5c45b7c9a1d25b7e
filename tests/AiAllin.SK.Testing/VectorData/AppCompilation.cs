using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Compiles application code with Roslyn against the assemblies the test process runs on, to prove how a call binds
/// when several packages' extension methods are in scope (what a user's project would see).
/// </summary>
public static class AppCompilation
{
    /// <summary>Compiles <paramref name="sources"/> into one library and returns its errors.</summary>
    /// <param name="sources">The C# files.</param>
    /// <returns>The error diagnostics; empty when the code compiles.</returns>
    public static ImmutableArray<Diagnostic> Errors(params string[] sources)
    {
        var trees = sources.Select(source => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))).ToArray();
        var compilation = CSharpCompilation.Create(
            "App" + Guid.NewGuid().ToString("N"),
            trees,
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
    }

    /// <summary>Every assembly of the test process: the runtime's, the test project's packages and the project references.</summary>
    private static List<MetadataReference> References()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location))
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"));
        return paths
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(group => (MetadataReference)MetadataReference.CreateFromFile(group.First()))
            .ToList();
    }
}
