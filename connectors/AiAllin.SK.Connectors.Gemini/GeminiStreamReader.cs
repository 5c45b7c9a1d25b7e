using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;
using AiAllin.SK.Connectors.Gemini.Wire;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// Reads the chunks of <c>streamGenerateContent?alt=sse</c> with <see cref="SseParser"/>: each event's data is
/// checked by the <see cref="GeminiSseEventValidator"/> (a mid-stream error object ends the stream with the server's
/// <see cref="ProviderException"/>, unreadable data with a <see cref="ProviderStreamException"/> naming the event, both
/// after every earlier chunk was delivered) and read straight from the parser's UTF-8 buffer by a
/// <see cref="GeminiChunkReader"/>, whose single pass is also the syntax check.
/// </summary>
internal static class GeminiStreamReader
{
    public static async IAsyncEnumerable<GeminiResponse> ReadAsync(Stream stream, GeminiSseEventValidator validator, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var number = 0;
        var chunks = new GeminiChunkReader();
        var parser = SseParser.Create(stream, (_, data) => Parse(data, validator, chunks, ++number));
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data is { } chunk)
            {
                yield return chunk;
            }
        }
    }

    private static GeminiResponse? Parse(ReadOnlySpan<byte> data, GeminiSseEventValidator validator, GeminiChunkReader chunks, int number)
    {
        var json = data.Trim(" \t\r\n"u8);
        if (json.IsEmpty)
        {
            return null;
        }

        var sseEvent = new SseEvent(default, json, number);
        if (validator.ServerErrorOf(sseEvent) is { } error)
        {
            throw error;
        }

        try
        {
            return chunks.Read(json);
        }
        catch (JsonException ex)
        {
            throw validator.MalformedEvent(sseEvent, ex);
        }
    }
}
