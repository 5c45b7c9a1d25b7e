namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>Which end of a text longer than the model's input is cut off (TEI's <c>truncation_direction</c>).</summary>
public enum TextTruncationDirection
{
    /// <summary>Keep the end of the text; cut its beginning.</summary>
    Left,

    /// <summary>Keep the beginning of the text; cut its end (the server's default).</summary>
    Right,
}
