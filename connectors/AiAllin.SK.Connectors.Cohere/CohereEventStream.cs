using System.Runtime.CompilerServices;
using System.Text.Json;
using AiAllin.SK.Connectors.Core.Http;
using AiAllin.SK.Connectors.Cohere.Wire;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// Reads Cohere's chat event stream: Core's <see cref="SseEventReader"/> frames the events in place, each is checked by
/// the validator, then read by <see cref="CohereStreamEventParser"/> straight from the reader's UTF-8 buffer.
/// </summary>
internal static class CohereEventStream
{
    /// <summary>Enumerates the events; a bad event throws the validator's exception when it is reached.</summary>
    /// <param name="stream">The response body.</param>
    /// <param name="validator">Decides which events are errors or malformed.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The events with data; empty data and <c>[DONE]</c> are passed over.</returns>
    public static async IAsyncEnumerable<CohereStreamEvent> Read(Stream stream, CohereSseEventValidator validator, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var events = new SseEventReader(stream);
        do
        {
            while (Next(events, validator) is { } streamEvent)
            {
                yield return streamEvent;
            }
        }
        while (await events.FillAsync(cancellationToken).ConfigureAwait(false));
    }

    // The next event among those already read; null when more must be read first.
    private static CohereStreamEvent? Next(SseEventReader events, CohereSseEventValidator validator)
    {
        while (events.TryRead(out var sseEvent))
        {
            if (validator.ValidateBeforeParse(sseEvent) is { } failure)
            {
                throw failure;
            }

            var payload = sseEvent.Data.Trim(" \t\r\n"u8);
            if (payload.IsEmpty || payload.SequenceEqual("[DONE]"u8))
            {
                continue;
            }

            try
            {
                return CohereStreamEventParser.Parse(payload, sseEvent.EventType);
            }
            catch (JsonException ex)
            {
                // Malformed JSON (the parser reads every byte, so it is the syntax check), or valid JSON of an unexpected shape.
                throw validator.MalformedEvent(new SseEvent(sseEvent.EventType, payload, sseEvent.Number), ex);
            }
        }

        return null;
    }
}
