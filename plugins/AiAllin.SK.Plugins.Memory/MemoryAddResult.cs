namespace AiAllin.SK.Plugins.Memory;

/// <summary>What <c>SemanticMemory.AddAsync</c> stored.</summary>
/// <param name="Ids">The ids of the stored (or, when skipped, existing) memories, one per chunk.</param>
/// <param name="Outcome">Whether memories were added, updated or skipped as near-duplicates (the first chunk's outcome for chunked texts).</param>
/// <param name="Flags">The injection rules the text matched.</param>
public sealed record MemoryAddResult(IReadOnlyList<string> Ids, MemoryWriteOutcome Outcome, IReadOnlyList<string> Flags);
