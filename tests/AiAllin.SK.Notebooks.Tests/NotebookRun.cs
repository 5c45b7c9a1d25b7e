using System.Text;

namespace AiAllin.SK.Notebooks.Tests;

/// <summary>What running a notebook produced: passed, or the first failing cell with the kernel's error.</summary>
internal sealed class NotebookRun
{
    private NotebookRun(string name, bool succeeded, int cellsRun, NotebookCell? failedCell, string? error, string outputs)
    {
        Name = name;
        Succeeded = succeeded;
        CellsRun = cellsRun;
        FailedCell = failedCell;
        Error = error;
        Outputs = outputs;
    }

    public string Name { get; }

    public bool Succeeded { get; }

    /// <summary>Cells sent to the kernel, the failing one included.</summary>
    public int CellsRun { get; }

    public NotebookCell? FailedCell { get; }

    public string? Error { get; }

    /// <summary>Everything the cells printed or displayed, in order.</summary>
    public string Outputs { get; }

    public static NotebookRun Passed(string name, int cellsRun, StringBuilder outputs) =>
        new(name, true, cellsRun, null, null, outputs.ToString());

    public static NotebookRun Failed(string name, NotebookCell cell, int cellsRun, string error, StringBuilder outputs) =>
        new(name, false, cellsRun, cell, error, outputs.ToString());

    /// <summary>The failure as a test reports it: notebook, cell number, the cell's code and the kernel's error.</summary>
    public string Describe() => Succeeded
        ? $"{Name}: {CellsRun} cells passed."
        : $"""
          {Name}: cell {FailedCell!.Number} failed.
          --- code of cell {FailedCell.Number} ---
          {FailedCell.Code}
          --- kernel error ---
          {Error}
          --- output of the cells run ---
          {Outputs}
          """;
}
