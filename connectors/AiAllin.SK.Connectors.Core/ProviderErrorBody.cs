using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AiAllin.SK.Connectors.Core;

/// <summary>What could be read from an error body: the provider's code, message and any retry delay it carries.</summary>
internal readonly record struct ProviderErrorBody(string? ErrorCode, string? Message, TimeSpan? RetryDelay)
{
    private const int MaxRawBodyLength = 500;

    /// <summary>Reads any documented error shape; falls back to the (truncated) raw text when none matches.</summary>
    public static ProviderErrorBody Parse(ReadOnlySpan<byte> body)
    {
        var parsed = TryParseJson(body);
        if (parsed is { } known && (known.Message is not null || known.ErrorCode is not null))
        {
            return known;
        }

        var raw = Encoding.UTF8.GetString(body.Length > MaxRawBodyLength * 4 ? body[..(MaxRawBodyLength * 4)] : body).Trim();
        return new ProviderErrorBody(null, raw.Length == 0 ? null : raw, null);
    }

    private static ProviderErrorBody? TryParseJson(ReadOnlySpan<byte> body)
    {
        var trimmed = TrimWhitespace(body);
        if (trimmed.IsEmpty || (trimmed[0] != (byte)'{' && trimmed[0] != (byte)'['))
        {
            return null;
        }

        try
        {
            // Gemini's non-SSE streaming endpoint wraps errors in an array.
            var envelope = trimmed[0] == (byte)'['
                ? JsonSerializer.Deserialize(trimmed, CoreJsonContext.Default.ProviderErrorEnvelopeArray) is [var first, ..] ? first : null
                : JsonSerializer.Deserialize(trimmed, CoreJsonContext.Default.ProviderErrorEnvelope);
            return envelope is null ? null : FromEnvelope(envelope);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ProviderErrorBody FromEnvelope(ProviderErrorEnvelope envelope)
    {
        if (envelope.Error is { } error)
        {
            // Gemini carries both a numeric code and a symbolic status; the status is the useful one. Azure OpenAI repeats
            // the numeric HTTP status beside its code: only a symbolic status is a code.
            var status = error.Status is { } s && !s.All(char.IsAsciiDigit) ? s : null;
            var code = status ?? error.Code ?? error.Type ?? envelope.ErrorType;
            return new ProviderErrorBody(code, error.Message ?? envelope.Message, RetryDelayFromDetails(error) ?? FromSeconds(envelope.EstimatedTime));
        }

        return new ProviderErrorBody(envelope.Code ?? envelope.ErrorType, envelope.Message, FromSeconds(envelope.EstimatedTime));
    }

    private static TimeSpan? RetryDelayFromDetails(ProviderErrorDetail error)
    {
        if (error.Details is null)
        {
            return null;
        }

        foreach (var detail in error.Details)
        {
            if (detail.Type?.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal) == true
                && detail.RetryDelay is { Length: > 1 } delay
                && delay.EndsWith('s')
                && double.TryParse(delay.AsSpan(0, delay.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return FromSeconds(seconds);
            }
        }

        return null;
    }

    private static TimeSpan? FromSeconds(double? seconds)
        => seconds is { } s && double.IsFinite(s) && s >= 0 && s < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(s) : null;

    private static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> span)
    {
        // A UTF-8 byte order mark is sometimes sent before error bodies.
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }

        return span.Trim(" \t\r\n"u8);
    }
}
