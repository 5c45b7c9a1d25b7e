namespace AiAllin.SK.Connectors.Core.Streaming;

/// <summary>What the model is doing when a streamed token reaches the callback.</summary>
public enum StreamPhase
{
    /// <summary>Reasoning ("thinking") text, for models that stream it.</summary>
    Reasoning,

    /// <summary>Answer text.</summary>
    Answer,

    /// <summary>The model asked for a tool (function) call; <see cref="StreamToken.Content"/> is the assembled call.</summary>
    ToolCall,

    /// <summary>A tool call returned; <see cref="StreamToken.Content"/> is its result, which goes back to the model next.</summary>
    ToolResult,
}
