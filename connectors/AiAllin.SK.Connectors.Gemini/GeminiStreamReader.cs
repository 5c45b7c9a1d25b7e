using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Gemini.Wire;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// Reads the chunks of <c>streamGenerateContent?alt=sse</c> with <see cref="SseParser"/>: each event's data is
/// checked by the <see cref="GeminiSseEventValidator"/> (malformed data and mid-stream errors end the stream with a
/// <see cref="ProviderException"/> after every earlier chunk was delivered) and deserialized straight from the
/// parser's UTF-8 buffer by the source-generated serializer.
/// </summary>
internal static class GeminiStreamReader
{
    private const string ChunkKind = "event";

    public static async IAsyncEnumerable<GeminiResponse> ReadAsync(Stream stream, GeminiSseEventValidator validator, string? apiKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var number = 0;
        var parser = SseParser.Create(stream, (eventType, data) => Parse(eventType, data, validator, apiKey, ++number));
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data is { } chunk)
            {
                yield return chunk;
            }
        }
    }

    private static GeminiResponse? Parse(string eventType, ReadOnlySpan<byte> data, GeminiSseEventValidator validator, string? apiKey, int number)
    {
        if (validator.Validate(eventType, data, number) is { } failure)
        {
            throw failure;
        }

        var json = data.Trim(" \t\r\n"u8);
        if (json.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, GeminiJsonContext.Default.GeminiResponse) ?? throw new JsonException("The chunk is JSON null.");
        }
        catch (JsonException ex)
        {
            // Valid JSON of the wrong shape (a string where an object belongs).
            throw new ProviderStreamException(GeminiHttp.ProviderName, SecretRedactor.Redact(Encoding.UTF8.GetString(json), apiKey), number, ChunkKind, ex);
        }
    }
}
