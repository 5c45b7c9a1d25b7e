namespace AiAllin.SK.Connectors.Cohere;

/// <summary>How Cohere generates citations for documents and tool results (<c>citation_options.mode</c>).</summary>
public enum CohereCitationMode
{
    /// <summary>Fast citations (<c>FAST</c>).</summary>
    Fast,

    /// <summary>More precise citations at some latency cost (<c>ACCURATE</c>).</summary>
    Accurate,

    /// <summary>No citations (<c>OFF</c>).</summary>
    Off,
}
