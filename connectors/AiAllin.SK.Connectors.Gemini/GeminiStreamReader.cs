using System.Runtime.CompilerServices;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;
using AiAllin.SK.Connectors.Gemini.Wire;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// Reads the chunks of <c>streamGenerateContent?alt=sse</c>: Core's <see cref="SseEventReader"/> frames the events in
/// place and a <see cref="GeminiChunkReader"/> reads each one's UTF-8 data in a single pass, which is also the syntax
/// check and spots the error object Gemini sends mid-stream. A mid-stream error ends the stream with the server's
/// <see cref="ProviderException"/>, unreadable data with a <see cref="ProviderStreamException"/> naming the event, both
/// after every earlier chunk was delivered.
/// </summary>
internal static class GeminiStreamReader
{
    public static async IAsyncEnumerable<GeminiResponse> ReadAsync(Stream stream, GeminiSseEventValidator validator, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var events = new SseEventReader(stream);
        var chunks = new GeminiChunkReader();
        do
        {
            while (Next(events, validator, chunks) is { } chunk)
            {
                yield return chunk;
            }
        }
        while (await events.FillAsync(cancellationToken).ConfigureAwait(false));
    }

    // The next chunk among the events already read; null when more must be read first.
    private static GeminiResponse? Next(SseEventReader events, GeminiSseEventValidator validator, GeminiChunkReader chunks)
    {
        while (events.TryRead(out var sseEvent))
        {
            var json = sseEvent.Data.Trim(" \t\r\n"u8);
            if (json.IsEmpty)
            {
                continue;
            }

            var trimmed = new SseEvent(sseEvent.EventType, json, sseEvent.Number);
            bool isChunk;
            GeminiResponse? chunk;
            try
            {
                isChunk = chunks.TryReadChunk(json, out chunk);
            }
            catch (JsonException ex)
            {
                throw validator.MalformedEvent(trimmed, ex);
            }

            return isChunk ? chunk : throw validator.StreamError(trimmed);
        }

        return null;
    }
}
