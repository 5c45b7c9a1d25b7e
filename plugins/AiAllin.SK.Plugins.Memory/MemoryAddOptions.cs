namespace AiAllin.SK.Plugins.Memory;

/// <summary>How one text is remembered.</summary>
public sealed class MemoryAddOptions
{
    /// <summary>Gets or sets where the text came from (for example <c>user</c>, <c>model</c>, <c>tool:web</c>). Defaults to <c>app</c>.</summary>
    public string Source { get; set; } = "app";

    /// <summary>
    /// Gets or sets how far the text is trusted. Defaults to <see cref="MemoryTrust.Untrusted"/>: only the
    /// application's own text should be marked trusted.
    /// </summary>
    public MemoryTrust Trust { get; set; } = MemoryTrust.Untrusted;

    /// <summary>Gets the metadata; keys are letters, digits, <c>_</c>, <c>-</c> or <c>.</c>. Metadata filters match it exactly.</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets how long the memory lives; <see langword="null"/> uses <see cref="SemanticMemoryOptions.DefaultTimeToLive"/>.</summary>
    public TimeSpan? TimeToLive { get; set; }

    /// <summary>Gets or sets the near-duplicate handling of this write; <see langword="null"/> uses the memory's option.</summary>
    public DuplicateHandling? Duplicates { get; set; }
}
