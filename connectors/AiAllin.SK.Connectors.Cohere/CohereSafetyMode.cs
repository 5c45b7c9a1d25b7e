namespace AiAllin.SK.Connectors.Cohere;

/// <summary>The safety instruction Cohere adds to the prompt (<c>safety_mode</c>).</summary>
public enum CohereSafetyMode
{
    /// <summary>Cohere's default (<c>CONTEXTUAL</c>).</summary>
    Contextual,

    /// <summary>Stricter guardrails (<c>STRICT</c>).</summary>
    Strict,

    /// <summary>No safety instruction (<c>OFF</c>).</summary>
    Off,
}
