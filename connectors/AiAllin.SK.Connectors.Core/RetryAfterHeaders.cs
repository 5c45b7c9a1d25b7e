using System.Globalization;
using System.Net.Http.Headers;

namespace AiAllin.SK.Connectors.Core;

/// <summary>Reads the retry delay a provider announces in its response headers.</summary>
internal static class RetryAfterHeaders
{
    /// <summary>
    /// Returns the delay from <c>retry-after-ms</c> (OpenAI, Azure), <c>Retry-After</c> in delta-seconds or HTTP-date
    /// form, or else OpenAI's <c>x-ratelimit-reset-requests</c>/<c>-tokens</c> for the exhausted limit.
    /// </summary>
    public static TimeSpan? Read(HttpResponseHeaders headers, TimeProvider timeProvider)
    {
        if (TryGetSingle(headers, "retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
            && double.IsFinite(milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - timeProvider.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        // Some servers send fractional seconds, which the typed header rejects.
        if (TryGetSingle(headers, "Retry-After", out var rawRetryAfter)
            && double.TryParse(rawRetryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return Max(ExhaustedReset(headers, "requests"), ExhaustedReset(headers, "tokens"));
    }

    private static TimeSpan? ExhaustedReset(HttpResponseHeaders headers, string limit)
    {
        // A reset time only says when to retry for the limit that is actually used up.
        return TryGetSingle(headers, "x-ratelimit-remaining-" + limit, out var remaining)
            && remaining.Trim() == "0"
            && TryGetSingle(headers, "x-ratelimit-reset-" + limit, out var reset)
            && TryParseGoDuration(reset, out var wait)
            ? wait
            : null;
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static bool TryGetSingle(HttpResponseHeaders headers, string name, out string value)
    {
        if (headers.TryGetValues(name, out var values))
        {
            foreach (var v in values)
            {
                value = v;
                return true;
            }
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Parses durations such as <c>1s</c>, <c>6m0s</c>, <c>20ms</c>, <c>1h2m3.5s</c> (OpenAI's rate-limit headers).</summary>
    internal static bool TryParseGoDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return false;
        }

        var totalMilliseconds = 0.0;
        while (!span.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < span.Length && (char.IsAsciiDigit(span[numberLength]) || span[numberLength] == '.'))
            {
                numberLength++;
            }

            if (numberLength == 0 || !double.TryParse(span[..numberLength], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            span = span[numberLength..];
            var unitLength = 0;
            while (unitLength < span.Length && !char.IsAsciiDigit(span[unitLength]) && span[unitLength] != '.')
            {
                unitLength++;
            }

            double? scale = span[..unitLength] switch
            {
                "h" => 3_600_000,
                "m" => 60_000,
                "s" => 1_000,
                "ms" => 1,
                "us" or "µs" => 0.001,
                "ns" => 0.000_001,
                _ => null,
            };
            if (scale is null)
            {
                return false;
            }

            totalMilliseconds += number * scale.Value;
            span = span[unitLength..];
        }

        if (!double.IsFinite(totalMilliseconds) || totalMilliseconds >= TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(totalMilliseconds);
        return true;
    }
}
