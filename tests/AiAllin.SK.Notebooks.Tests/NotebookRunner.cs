using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace AiAllin.SK.Notebooks.Tests;

/// <summary>
/// Runs a notebook's C# cells in order on the .NET Interactive C# kernel (the engine of VS Code's Polyglot
/// Notebooks), with <c>#r "nuget:"</c> and <c>#i</c> handled by its NuGet directive.
/// </summary>
internal static partial class NotebookRunner
{
    /// <summary>A cell that runs longer than this is reported as hung instead of blocking the test run.</summary>
    private static readonly TimeSpan s_cellHangGuard = TimeSpan.FromMinutes(5);

    private static readonly KernelInfoCollection s_kernels = [new Microsoft.DotNet.Interactive.Documents.KernelInfo("csharp", languageName: "C#", aliases: ["c#", "C#"])];

    public static InteractiveDocument Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Notebook.Read(stream, s_kernels);
    }

    /// <summary>The code cells a notebook runs, numbered from 1 as an editor shows them among all cells.</summary>
    public static IReadOnlyList<NotebookCell> CodeCells(InteractiveDocument document) =>
        document.Elements
            .Select((element, index) => new NotebookCell(index + 1, element.KernelName ?? "csharp", element.Contents))
            .Where(cell => !string.Equals(cell.KernelName, "markdown", StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>
    /// Runs every code cell in order and stops at the first failure: a cell that throws still declares its
    /// variables, so the cells after it could pass on bad state.
    /// </summary>
    public static async Task<NotebookRun> RunAsync(string name, IReadOnlyList<NotebookCell> cells, bool forceRestore)
    {
        using var kernel = CreateKernel(forceRestore);
        var outputs = new StringBuilder();
        var executed = 0;
        foreach (var cell in cells)
        {
            if (!string.Equals(cell.KernelName, "csharp", StringComparison.OrdinalIgnoreCase))
            {
                return NotebookRun.Failed(name, cell, executed, $"the cell's kernel is '{cell.KernelName}'; the notebooks are C# only.", outputs);
            }

            var submission = kernel.SendAsync(new SubmitCode(cell.Code));
            KernelCommandResult result;
            try
            {
                result = await submission.WaitAsync(s_cellHangGuard).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return NotebookRun.Failed(name, cell, executed, $"the cell did not finish within {s_cellHangGuard.TotalMinutes} minutes.", outputs);
            }

            executed++;
            outputs.AppendLine(FormattableString.Invariant($"--- cell {cell.Number} output ---"));
            foreach (var @event in result.Events)
            {
                switch (@event)
                {
                    case StandardOutputValueProduced stdout:
                        outputs.Append(Text(stdout));
                        break;
                    case StandardErrorValueProduced stderr:
                        outputs.Append(Text(stderr));
                        break;
                    // Progress updates (package installs) would repeat the same display many times.
                    case DisplayEvent display when display is not DisplayedValueUpdated:
                        outputs.AppendLine(Text(display));
                        break;
                }
            }

            if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
            {
                var error = failed.Exception is null ? failed.Message : $"{failed.Message}{Environment.NewLine}{failed.Exception}";
                return NotebookRun.Failed(name, cell, executed, error, outputs);
            }
        }

        return NotebookRun.Passed(name, executed, outputs);
    }

    private static CSharpKernel CreateKernel(bool forceRestore) =>
        new CSharpKernel()
            .UseKernelHelpers()
            .UseValueSharing()
            .UseNugetDirective(
                (kernel, references) =>
                {
                    kernel.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                    return Task.CompletedTask;
                },
                forceRestore);

    private static string Text(DisplayEvent display)
    {
        if (display.FormattedValues.FirstOrDefault(v => v.MimeType == "text/plain") is { } plain)
        {
            return plain.Value;
        }

        // Tables are formatted as HTML only: keep their cells readable in a test log.
        var html = display.FormattedValues.FirstOrDefault()?.Value ?? string.Empty;
        html = StyleBlock().Replace(html, string.Empty);
        html = RowEnd().Replace(html, Environment.NewLine);
        html = CellEnd().Replace(html, " | ");
        return WebUtility.HtmlDecode(Tag().Replace(html, string.Empty)).Trim();
    }

    [GeneratedRegex("<style>.*?</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();

    [GeneratedRegex("</tr>")]
    private static partial Regex RowEnd();

    [GeneratedRegex("</t[dh]>")]
    private static partial Regex CellEnd();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
