namespace AiAllin.SK.Plugins.Memory;

/// <summary>Options of automatic recall into prompts (<see cref="MemoryRecallPromptFilter"/>, <see cref="MemoryRecallChatClient"/>).</summary>
public sealed class MemoryRecallOptions
{
    /// <summary>Gets or sets how many memories are recalled. Defaults to 3.</summary>
    public int Top { get; set; } = 3;

    /// <summary>Gets or sets the lowest score recalled. Defaults to 0.3 (cosine similarity in vector mode).</summary>
    public double? MinScore { get; set; } = 0.3;

    /// <summary>Gets or sets the ranking. Defaults to <see cref="MemorySearchMode.Vector"/>.</summary>
    public MemorySearchMode Mode { get; set; } = MemorySearchMode.Vector;

    /// <summary>
    /// Gets or sets the kernel argument whose value is the query for prompt functions (for example <c>input</c>).
    /// When the argument is missing, the end of the rendered prompt is the query.
    /// </summary>
    public string? QueryArgument { get; set; }

    /// <summary>Gets or sets the longest query used, in characters (the end of a longer text is kept). Defaults to 2,000.</summary>
    public int MaxQueryLength { get; set; } = 2000;

    internal MemorySearchOptions ToSearchOptions() => new() { Top = Top, MinScore = MinScore, Mode = Mode };

    internal string Bound(string query) => query.Length > MaxQueryLength ? query[^MaxQueryLength..] : query;
}
