namespace AiAllin.SK.Notebooks.Tests;

/// <summary>One code cell of a notebook.</summary>
/// <param name="Number">The cell's position among all cells of the notebook, from 1.</param>
/// <param name="KernelName">The kernel the cell is written for.</param>
/// <param name="Code">The cell's source.</param>
internal sealed record NotebookCell(int Number, string KernelName, string Code);
