using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core.Http;
using AiAllin.SK.Connectors.Cohere.Wire;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// Reads Cohere's chat event stream with <see cref="SseParser"/>: each event is checked by the validator, then
/// read by <see cref="CohereStreamEventParser"/> straight from the parser's UTF-8 buffer.
/// </summary>
internal static class CohereEventStream
{
    /// <summary>Enumerates the events; a bad event throws the validator's exception when it is reached.</summary>
    /// <param name="stream">The response body.</param>
    /// <param name="validator">Decides which events are errors or malformed.</param>
    /// <returns>The events; <see cref="SseItem{T}.Data"/> is <see langword="null"/> for empty data and <c>[DONE]</c>.</returns>
    public static IAsyncEnumerable<SseItem<CohereStreamEvent?>> Read(Stream stream, CohereSseEventValidator validator)
    {
        var number = 0;
        return SseParser.Create(stream, (eventType, data) => Parse(eventType, data, validator, ++number)).EnumerateAsync();
    }

    private static CohereStreamEvent? Parse(string eventType, ReadOnlySpan<byte> data, CohereSseEventValidator validator, int number)
    {
        if (validator.ValidateBeforeParse(eventType, data, number) is { } failure)
        {
            throw failure;
        }

        var payload = data.Trim(" \t\r\n"u8);
        if (payload.IsEmpty || payload.SequenceEqual("[DONE]"u8))
        {
            return null;
        }

        try
        {
            return CohereStreamEventParser.Parse(payload, eventType);
        }
        catch (JsonException ex)
        {
            // Malformed JSON (the parser reads every byte, so it is the syntax check), or valid JSON of an unexpected shape.
            throw validator.MalformedEvent(new SseEvent(Encoding.UTF8.GetBytes(eventType), payload, number), ex);
        }
    }
}
