namespace AiAllin.SK.Plugins.Memory;

/// <summary>A memory as returned to the application.</summary>
public sealed class MemoryEntry
{
    /// <summary>Gets the id (what <see cref="SemanticMemory.DeleteAsync"/> takes).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the text, neutralised when the read policy says so.</summary>
    public required string Text { get; init; }

    /// <summary>Gets the scope that owns the memory.</summary>
    public required MemoryScope Scope { get; init; }

    /// <summary>Gets where the text came from.</summary>
    public required string Source { get; init; }

    /// <summary>Gets how far the text is trusted.</summary>
    public required MemoryTrust Trust { get; init; }

    /// <summary>Gets the metadata.</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>Gets the injection rules the text matched (on write or read); empty when none.</summary>
    public required IReadOnlyList<string> Flags { get; init; }

    /// <summary>Gets the creation time.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the expiry, or <see langword="null"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets the id shared by the chunks of one long text.</summary>
    public required string DocumentId { get; init; }

    /// <summary>Gets the position of this chunk in its document.</summary>
    public int ChunkIndex { get; init; }

    /// <summary>Gets the offset, in characters, of this chunk in the original text.</summary>
    public int ChunkOffset { get; init; }
}
