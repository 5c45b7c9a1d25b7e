using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// Gemini announces when to retry inside the error body (a <c>google.rpc.RetryInfo</c> detail with
/// <c>"retryDelay": "41s"</c>) rather than in a <c>Retry-After</c> header. This handler, under the shared retry
/// handler, copies that delay into <c>Retry-After</c> (rounded up to whole seconds), so a delay within the cap is
/// waited for and a longer one ends the retries at once, as for every provider.
/// </summary>
internal sealed class GeminiRetryInfoHandler : DelegatingHandler
{
    private const int MaxInspectedBody = 64 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || response.Headers.RetryAfter is not null || response.Content.Headers.ContentLength is > MaxInspectedBody)
        {
            return response;
        }

        try
        {
            // Buffered, so the error handler above still reads the whole body.
            await response.Content.LoadIntoBufferAsync(MaxInspectedBody, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (RetryDelay(body) is { } delay)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds)));
            }
        }
        catch (HttpRequestException)
        {
            // A body too large or cut short carries no usable delay; the error handler reports what it can.
        }

        return response;
    }

    internal static TimeSpan? RetryDelay(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;

            // The non-SSE streaming endpoint wraps the error in an array.
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object
                || !error.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (var detail in details.EnumerateArray())
            {
                if (detail.ValueKind == JsonValueKind.Object
                    && detail.TryGetProperty("@type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString()!.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal)
                    && detail.TryGetProperty("retryDelay", out var value) && value.ValueKind == JsonValueKind.String
                    && value.GetString() is { Length: > 1 } text && text.EndsWith('s')
                    && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                    && double.IsFinite(seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds / 2)
                {
                    return TimeSpan.FromSeconds(seconds);
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
