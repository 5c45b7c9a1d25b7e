using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// What counts as a bad event on the OpenAI Chat Completions stream (and the servers that copy it): data that is not
/// one JSON value, an <c>event: error</c>, and a JSON object with an <c>error</c> member (object or string) or with
/// <c>"object": "error"</c> (the flat error older vLLM and other servers send where a chunk would say
/// <c>chat.completion.chunk</c>). Empty data and the <c>[DONE]</c> sentinel pass.
/// </summary>
/// <remarks>
/// The SDK deserializes an <c>{"error": …}</c> event into an empty update and ends normally, and reports malformed
/// data with a bare <see cref="JsonException"/> (pinned by <c>OpenAISseEventValidatorTests.Sdk_WithoutTheGuard_SwallowsErrorEventsAndFailsBareOnMalformedData</c>); checked here, below the
/// SDK, every client built on it (OpenAI, Azure, compatible servers) gets the same behaviour. Only an event that
/// mentions <c>"error"</c> is read member by member; every other one gets the base class's fast syntax check.
/// </remarks>
internal sealed class OpenAISseEventValidator : SseEventValidator
{
    private static readonly byte[] DoneMarker = "[DONE]"u8.ToArray();
    private static readonly byte[] ErrorWord = "error"u8.ToArray();
    private static readonly byte[] QuotedErrorWord = "\"error\""u8.ToArray();
    private static readonly byte[] ObjectMember = "object"u8.ToArray();

    /// <summary>Creates the validator.</summary>
    /// <param name="provider">The provider name used in exceptions.</param>
    /// <param name="apiKey">The key, redacted from exception texts.</param>
    public OpenAISseEventValidator(string provider, string? apiKey)
        : base(provider, apiKey)
    {
    }

    /// <inheritdoc />
    public override ProviderException? Validate(SseEvent sseEvent)
    {
        var payload = sseEvent.Data.Trim((byte)' ');
        if (payload.IsEmpty || payload.SequenceEqual(DoneMarker))
        {
            return null;
        }

        var trimmed = new SseEvent(sseEvent.EventType, payload, sseEvent.Number);
        if (sseEvent.EventType.SequenceEqual(ErrorWord))
        {
            return ServerError(trimmed);
        }

        if (payload.IndexOf(QuotedErrorWord) < 0)
        {
            return CheckJson(payload) is { } malformed ? Malformed(trimmed, malformed) : null;
        }

        try
        {
            return IsErrorObject(payload) ? ServerError(trimmed) : null;
        }
        catch (JsonException ex)
        {
            return Malformed(trimmed, ex);
        }
    }

    // Reads the whole payload (a JsonException means it is malformed) and returns whether it is an object with a
    // top-level "error" member that is an object or a string, or with "object": "error".
    private static bool IsErrorObject(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            ReadToEnd(ref reader);
            return false;
        }

        var isError = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isErrorMember = reader.ValueTextEquals(ErrorWord);
            var isObjectMember = !isErrorMember && reader.ValueTextEquals(ObjectMember);
            reader.Read();
            isError |= isErrorMember && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String;
            isError |= isObjectMember && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(ErrorWord);
            reader.Skip();
        }

        ReadToEnd(ref reader);
        return isError;
    }

    // Trailing content after the root value is malformed too; the reader throws on it.
    private static void ReadToEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }
}
