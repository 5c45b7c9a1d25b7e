using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Streaming;

/// <summary>One delivery to a streaming callback: a piece of text, or a tool call or result.</summary>
public readonly record struct StreamToken
{
    /// <summary>Gets the phase the stream is in.</summary>
    public required StreamPhase Phase { get; init; }

    /// <summary>
    /// Gets the text: answer or reasoning text for those phases (never a split surrogate pair or grapheme cluster),
    /// empty for tool calls and results.
    /// </summary>
    public required string Text { get; init; }

    /// <summary>Gets the <see cref="FunctionCallContent"/> or <see cref="FunctionResultContent"/> for the tool phases; otherwise <see langword="null"/>.</summary>
    public AIContent? Content { get; init; }

    /// <summary>Gets the 0-based number of this delivery in the response.</summary>
    public required int Index { get; init; }

    /// <summary>Gets the model turn this delivery belongs to: 0 for the first call to the model, 1 after the first round of tool calls, and so on.</summary>
    public required int Turn { get; init; }
}
