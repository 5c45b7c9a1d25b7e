using System.Text;
using AiAllin.SK.Connectors.Core.Http;

namespace AiAllin.SK.Connectors.Core.Tests.Http;

/// <summary>
/// A validator for the guard's framing tests: records every event it is shown, calls data <c>bad</c> malformed, an
/// <c>error</c> event a server error, and rewrites data <c>old</c> to <c>"new"</c>.
/// </summary>
internal sealed class RecordingSseValidator(string? apiKey = null) : SseEventValidator("TestProvider", apiKey)
{
    public List<(string Type, string Data, int Number)> Events { get; } = [];

    public override ProviderException? Validate(SseEvent sseEvent)
    {
        var data = Encoding.UTF8.GetString(sseEvent.Data);
        Events.Add((Encoding.UTF8.GetString(sseEvent.EventType), data, sseEvent.Number));
        if (sseEvent.EventType.SequenceEqual("error"u8))
        {
            return ServerError(sseEvent);
        }

        return data.StartsWith("bad", StringComparison.Ordinal) || data.Contains("not json", StringComparison.Ordinal)
            ? Malformed(sseEvent, CheckJson(sseEvent.Data))
            : null;
    }

    public override byte[]? Rewrite(SseEvent sseEvent) => sseEvent.Data.SequenceEqual("old"u8) ? "\"new\""u8.ToArray() : null;
}
