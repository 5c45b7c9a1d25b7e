namespace AiAllin.SK.Plugins.Memory;

/// <summary>What happens when a new memory is a near-duplicate of one already in its scope.</summary>
public enum DuplicateHandling
{
    /// <summary>The existing memory takes the new text, metadata and expiry; its id stays.</summary>
    Update = 0,

    /// <summary>Nothing is written; the existing memory's id is returned.</summary>
    Skip = 1,

    /// <summary>Duplicates are stored like any other memory.</summary>
    Allow = 2,
}
