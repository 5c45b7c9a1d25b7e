using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// What counts as a bad event on Cohere's <c>/v2/chat</c> stream: data that is not one JSON value; a
/// <c>message-end</c> whose <c>delta.error</c> is set (the documented way a generation fails mid-stream, with
/// <c>finish_reason</c> <c>ERROR</c>); and an <c>error</c> event or an object with a top-level <c>error</c> or a bare
/// <c>message</c> (an API error body sent as event data). Empty data and a <c>[DONE]</c> sentinel pass.
/// </summary>
/// <remarks>Only data that mentions <c>"error"</c> or has no <c>"type"</c> is read member by member; every other event gets the fast syntax check.</remarks>
internal sealed class CohereSseEventValidator : SseEventValidator
{
    private static readonly byte[] DoneMarker = "[DONE]"u8.ToArray();
    private static readonly byte[] QuotedError = "\"error\""u8.ToArray();
    private static readonly byte[] QuotedType = "\"type\""u8.ToArray();

    /// <summary>Creates the validator.</summary>
    /// <param name="apiKey">The key, redacted from exception texts.</param>
    public CohereSseEventValidator(string? apiKey)
        : base(CohereHttp.ProviderName, apiKey)
    {
    }

    /// <inheritdoc />
    public override ProviderException? Validate(SseEvent sseEvent) => Validate(sseEvent, checkSyntax: true);

    /// <summary>
    /// Checks an event whose data the caller parses in full right after (the stream reader's one-pass parser is the
    /// syntax check of an ordinary event, so it is not read twice); error shapes are still read here.
    /// </summary>
    internal ProviderException? ValidateBeforeParse(SseEvent sseEvent) => Validate(sseEvent, checkSyntax: false);

    /// <summary>The exception for an event the stream reader's parser could not read, redacted like every other.</summary>
    internal ProviderStreamException MalformedEvent(SseEvent sseEvent, Exception cause) => Malformed(sseEvent, cause);

    private ProviderException? Validate(SseEvent sseEvent, bool checkSyntax)
    {
        var payload = sseEvent.Data.Trim(" \t\r\n"u8);
        if (payload.IsEmpty || payload.SequenceEqual(DoneMarker))
        {
            return null;
        }

        var trimmed = new SseEvent(sseEvent.EventType, payload, sseEvent.Number);
        if (sseEvent.EventType.SequenceEqual("error"u8))
        {
            return CheckJson(payload) is { } bad ? Malformed(trimmed, bad) : ServerError(trimmed);
        }

        if (payload.IndexOf(QuotedError) < 0 && payload.IndexOf(QuotedType) >= 0)
        {
            return checkSyntax && CheckJson(payload) is { } malformed ? Malformed(trimmed, malformed) : null;
        }

        try
        {
            return Inspect(trimmed);
        }
        catch (JsonException ex)
        {
            return Malformed(trimmed, ex);
        }
    }

    // Reads the whole payload (a JsonException means it is malformed) for the error shapes named above.
    private ProviderException? Inspect(SseEvent sseEvent)
    {
        var reader = new Utf8JsonReader(sseEvent.Data);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            ReadToEnd(ref reader);
            return null;
        }

        var hasType = false;
        var topLevelError = false;
        var bareMessage = false;
        string? deltaError = null;
        string? finishReason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                hasType = true;
                reader.Read();
                topLevelError |= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("error"u8);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                topLevelError |= reader.TokenType is JsonTokenType.String or JsonTokenType.StartObject;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                bareMessage = reader.TokenType == JsonTokenType.String;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                (deltaError, finishReason) = ReadDelta(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        ReadToEnd(ref reader);
        if (deltaError is not null)
        {
            return new ProviderException(Provider, statusCode: null, errorCode: finishReason ?? "ERROR", providerMessage: deltaError);
        }

        return topLevelError || (bareMessage && !hasType) ? ServerError(sseEvent) : null;
    }

    private static (string? Error, string? FinishReason) ReadDelta(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (null, null);
        }

        string? error = null;
        string? finishReason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isError = reader.ValueTextEquals("error"u8);
            var isFinish = !isError && reader.ValueTextEquals("finish_reason"u8);
            reader.Read();
            if (reader.TokenType == JsonTokenType.String && (isError || isFinish))
            {
                if (isError)
                {
                    error = reader.GetString();
                }
                else
                {
                    finishReason = reader.GetString();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return (string.IsNullOrEmpty(error) ? null : error, finishReason);
    }

    // Trailing content after the root value is malformed too; the reader throws on it.
    private static void ReadToEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }
}
