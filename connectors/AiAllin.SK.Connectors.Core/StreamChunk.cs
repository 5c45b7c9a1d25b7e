using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AiAllin.SK.Connectors.Core;

/// <summary>One parsed NDJSON line: a value, or the reason there is none.</summary>
internal readonly record struct StreamChunk<T>(StreamChunkKind Kind, T? Value, Exception? Error = null)
{
    /// <summary>
    /// Deserializes one complete JSON value. A top-level object whose first member is a non-null <c>"error"</c> is a
    /// provider error (Ollama mid-stream, OpenAI chat-completions mid-stream), not a value of <typeparamref name="T"/>.
    /// </summary>
    /// <param name="reader">A reader over exactly the chunk, with <c>isFinalBlock</c> set.</param>
    /// <param name="typeInfo">The value's metadata.</param>
    /// <remarks>Error and malformed results carry no raw bytes; the caller copies the line, so the common path copies nothing.</remarks>
    public static StreamChunk<T> Parse(Utf8JsonReader reader, JsonTypeInfo<T> typeInfo)
    {
        if (StartsWithErrorMember(reader))
        {
            return new StreamChunk<T>(StreamChunkKind.Error, default);
        }

        try
        {
            var value = JsonSerializer.Deserialize(ref reader, typeInfo);

            // Deserialize stops after one value; reading on rejects trailing garbage such as '{"a":1} xyz'.
            if (reader.Read())
            {
                throw new JsonException("Unexpected content after the JSON value.");
            }

            return value is null
                ? new StreamChunk<T>(StreamChunkKind.Malformed, default, Error: new JsonException("The chunk is JSON null."))
                : new StreamChunk<T>(StreamChunkKind.Value, value);
        }
        catch (JsonException ex)
        {
            return new StreamChunk<T>(StreamChunkKind.Malformed, default, Error: ex);
        }
    }

    private static bool StartsWithErrorMember(Utf8JsonReader reader)
    {
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject
                && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("error"u8)
                && reader.Read() && reader.TokenType is not JsonTokenType.Null;
        }
        catch (JsonException)
        {
            // Malformed input is reported by the full parse, with its own message.
            return false;
        }
    }
}
