namespace AiAllin.SK.Notebooks.Tests;

/// <summary>The runner itself: a failing cell fails the notebook with its number, code and error, and nothing after it runs.</summary>
[Collection(NotebookKernel.Name)]
public sealed class NotebookRunnerTests
{
    [Fact]
    public async Task ThrowingCell_StopsTheNotebookEvenThoughItsVariablesExist()
    {
        NotebookCell[] cells =
        [
            new(1, "csharp", "var greeting = \"hello\";"),
            new(3, "csharp", "var declaredBeforeThrow = 42;\nthrow new InvalidOperationException(\"cell two broke\");"),
            new(4, "csharp", "Console.WriteLine(declaredBeforeThrow);"),
        ];

        var run = await NotebookRunner.RunAsync("runner-test.ipynb", cells, forceRestore: false);

        Assert.False(run.Succeeded);
        Assert.Equal(2, run.CellsRun);
        Assert.Equal(3, run.FailedCell!.Number);
        var report = run.Describe();
        Assert.Contains("runner-test.ipynb: cell 3 failed", report, StringComparison.Ordinal);
        Assert.Contains("throw new InvalidOperationException(\"cell two broke\");", report, StringComparison.Ordinal);
        Assert.Contains("cell two broke", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompileError_ReportsTheCompilerDiagnostic()
    {
        NotebookCell[] cells = [new(2, "csharp", "int x = \"not a number\";")];

        var run = await NotebookRunner.RunAsync("compile-error.ipynb", cells, forceRestore: false);

        Assert.False(run.Succeeded);
        Assert.Contains("CS0029", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PassingCells_ShareStateAndPrint()
    {
        NotebookCell[] cells =
        [
            new(1, "csharp", "var numbers = new[] { 1, 2, 3 };"),
            new(2, "csharp", "Console.WriteLine(numbers.Sum());"),
        ];

        var run = await NotebookRunner.RunAsync("passing.ipynb", cells, forceRestore: false);

        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains("6", run.Outputs, StringComparison.Ordinal);
    }
}
