namespace AiAllin.SK.Plugins.Memory;

/// <summary>A memory found by a search, with its score.</summary>
/// <param name="Memory">The memory.</param>
/// <param name="Score">The score (see <see cref="MemorySearchOptions.MinScore"/> for its meaning per mode).</param>
public sealed record MemorySearchResult(MemoryEntry Memory, double Score);
