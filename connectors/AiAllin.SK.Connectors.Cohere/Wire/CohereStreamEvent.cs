namespace AiAllin.SK.Connectors.Cohere.Wire;

/// <summary>
/// One event of the <c>/v2/chat</c> stream, flattened: the kind, and whichever of Cohere's <c>delta</c> members the
/// event carries. <see cref="CohereStreamEventParser"/> fills it in one pass, allocating only the strings kept.
/// </summary>
internal sealed class CohereStreamEvent
{
    public CohereStreamEventKind Kind { get; set; }

    public string? Id { get; set; }

    public int? Index { get; set; }

    /// <summary>Gets or sets <c>delta.message.content.type</c> (<c>text</c> or <c>thinking</c>, on <c>content-start</c>).</summary>
    public string? ContentType { get; set; }

    public string? Text { get; set; }

    public string? Thinking { get; set; }

    public string? ToolPlan { get; set; }

    public string? ToolCallId { get; set; }

    public string? ToolName { get; set; }

    public string? Arguments { get; set; }

    public CohereCitation? Citation { get; set; }

    public string? FinishReason { get; set; }

    public CohereUsage? Usage { get; set; }

    public string? Error { get; set; }
}

/// <summary>The documented event types of the <c>/v2/chat</c> stream; <see cref="Other"/> for any other (ignored).</summary>
internal enum CohereStreamEventKind
{
    Other,
    MessageStart,
    ContentStart,
    ContentDelta,
    ContentEnd,
    ToolPlanDelta,
    ToolCallStart,
    ToolCallDelta,
    ToolCallEnd,
    CitationStart,
    CitationEnd,
    MessageEnd,
}
