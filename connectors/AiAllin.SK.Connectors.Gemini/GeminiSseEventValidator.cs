using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// What counts as a bad event on <c>streamGenerateContent?alt=sse</c>: data that is not one JSON value, and the
/// error object Gemini sends mid-stream (<c>data: {"error":{"code","message","status"}}</c>), which has no event
/// type of its own.
/// </summary>
internal sealed class GeminiSseEventValidator : SseEventValidator
{
    /// <summary>Creates the validator.</summary>
    /// <param name="apiKey">The key, redacted from exception texts.</param>
    public GeminiSseEventValidator(string? apiKey)
        : base(GeminiHttp.ProviderName, apiKey)
    {
    }

    /// <inheritdoc />
    public override ProviderException? Validate(SseEvent sseEvent)
    {
        var data = sseEvent.Data.Trim(" \t\r\n"u8);
        if (data.IsEmpty)
        {
            return null;
        }

        if (CheckJson(data) is { } malformed)
        {
            return Malformed(sseEvent, malformed);
        }

        return IsErrorObject(data) ? ServerError(new SseEvent(sseEvent.EventType, data, sseEvent.Number)) : null;
    }

    /// <summary>
    /// Builds the server's error for an event that a reader whose own parse is the syntax check found to be Gemini's
    /// error object (see <see cref="MalformedEvent"/>).
    /// </summary>
    internal ProviderException StreamError(SseEvent sseEvent) => ServerError(sseEvent);

    /// <summary>Builds the exception for an event whose data could not be read, naming the event (redacted).</summary>
    internal ProviderStreamException MalformedEvent(SseEvent sseEvent, Exception cause) => Malformed(sseEvent, cause);

    // A response chunk starts with "candidates", "promptFeedback" or "usageMetadata"; only an error starts with "error".
    private static bool IsErrorObject(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        return reader.Read() && reader.TokenType == JsonTokenType.StartObject
            && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("error"u8);
    }
}
