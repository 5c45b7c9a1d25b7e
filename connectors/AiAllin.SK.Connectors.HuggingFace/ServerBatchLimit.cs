using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// Reads the limit out of TEI's answer to a batch larger than it takes (HTTP 413, <c>"batch size 64 > maximum allowed
/// batch size 32"</c>), so a client set to a larger batch than the server's <c>--max-client-batch-size</c> splits the
/// rest of its texts to fit instead of failing: the usual misconfiguration costs one refused request, once.
/// </summary>
internal static partial class ServerBatchLimit
{
    /// <summary>Gets the batch size the server said it allows, when <paramref name="exception"/> is that refusal.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="sent">How many texts the refused request carried.</param>
    /// <returns>The allowed size, smaller than <paramref name="sent"/> and positive; otherwise <see langword="null"/>.</returns>
    public static int? From(ProviderException exception, int sent)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.StatusCode != HttpStatusCode.RequestEntityTooLarge || exception.ProviderMessage is not { } message)
        {
            return null;
        }

        var match = AllowedPattern().Match(message);
        return match.Success
            && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var allowed)
            && allowed > 0 && allowed < sent
            ? allowed
            : null;
    }

    [GeneratedRegex(@"maximum allowed batch size (\d{1,9})", RegexOptions.CultureInvariant)]
    private static partial Regex AllowedPattern();
}
