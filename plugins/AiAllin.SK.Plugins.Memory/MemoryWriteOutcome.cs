namespace AiAllin.SK.Plugins.Memory;

/// <summary>What a write did.</summary>
public enum MemoryWriteOutcome
{
    /// <summary>New memories were stored.</summary>
    Added = 0,

    /// <summary>A near-duplicate was updated in place.</summary>
    Updated = 1,

    /// <summary>A near-duplicate already existed; nothing was written.</summary>
    Skipped = 2,
}
