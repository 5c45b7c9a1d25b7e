namespace AiAllin.SK.Connectors.Core.Http;

/// <summary>
/// One server-sent event as the SSE rules dispatch it: its type (the last <c>event:</c> field, empty when the server
/// named none, which readers treat as <c>message</c>), its data (every <c>data:</c> line joined by line feeds) and
/// its 1-based position among the events that carried data.
/// </summary>
/// <remarks>The spans point into the reader's buffer and are valid only during the call that receives the event.</remarks>
public readonly ref struct SseEvent
{
    /// <summary>Creates an event view.</summary>
    /// <param name="eventType">The event type in UTF-8; empty when none was sent.</param>
    /// <param name="data">The event data in UTF-8.</param>
    /// <param name="number">The 1-based position among the stream's events with data.</param>
    public SseEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data, int number)
    {
        EventType = eventType;
        Data = data;
        Number = number;
    }

    /// <summary>Gets the event type in UTF-8; empty when the server sent no <c>event:</c> field.</summary>
    public ReadOnlySpan<byte> EventType { get; }

    /// <summary>Gets the data lines joined by line feeds, in UTF-8.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Gets the 1-based position of the event among the stream's events with data.</summary>
    public int Number { get; }
}
