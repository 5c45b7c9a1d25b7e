namespace AiAllin.SK.Connectors.Cohere;

/// <summary>What Cohere does with an input longer than the model takes (<c>truncate</c>).</summary>
public enum CohereTruncation
{
    /// <summary>Refuse it with an error (<c>NONE</c>).</summary>
    None,

    /// <summary>Drop tokens from the start (<c>START</c>).</summary>
    Start,

    /// <summary>Drop tokens from the end (<c>END</c>, Cohere's default).</summary>
    End,
}
