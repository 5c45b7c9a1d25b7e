namespace AiAllin.SK.Plugins.Memory;

/// <summary>How far a memory's text may be trusted.</summary>
public enum MemoryTrust
{
    /// <summary>Written by the model, taken from tool output or from any other source the application does not control.</summary>
    Untrusted = 0,

    /// <summary>Written by the application itself.</summary>
    Trusted = 1,
}
