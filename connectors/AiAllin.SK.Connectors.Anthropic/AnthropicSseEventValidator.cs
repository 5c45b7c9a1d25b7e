using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>
/// What counts as a bad event on the Anthropic Messages stream: data that is not one JSON value, and the documented
/// <c>event: error</c> (overloaded, API errors mid-stream). Usage the SDK cannot read is completed on the way
/// (<see cref="AnthropicUsagePatch"/>).
/// </summary>
/// <remarks>
/// On its own the SDK reports malformed data as a bare "invalid data" error without the event, and its parser could
/// see part of the bad event first; the guard stops the stream before it.
/// </remarks>
internal sealed class AnthropicSseEventValidator : SseEventValidator
{
    private static readonly byte[] ErrorEvent = "error"u8.ToArray();

    /// <summary>Creates the validator.</summary>
    /// <param name="apiKey">The key, redacted from exception texts.</param>
    public AnthropicSseEventValidator(string? apiKey)
        : base(AnthropicChatClient.ProviderName, apiKey)
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

        return sseEvent.EventType.SequenceEqual(ErrorEvent) ? ServerError(new SseEvent(sseEvent.EventType, data, sseEvent.Number)) : null;
    }

    /// <inheritdoc />
    public override byte[]? Rewrite(SseEvent sseEvent) => AnthropicUsagePatch.TryPatch(sseEvent.Data);
}
