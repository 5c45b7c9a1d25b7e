using System.Text.RegularExpressions;

namespace AiAllin.SK.Connectors.Core;

/// <summary>
/// Removes API keys and tokens from text before it reaches an exception message, a log or a <c>ToString()</c>.
/// </summary>
/// <remarks>
/// Redacts an explicitly given secret (and its URL-encoded form) plus every well-known key shape:
/// <c>Bearer</c> tokens, OpenAI/Anthropic <c>sk-…</c> keys, Google <c>AIza…</c> keys, Hugging Face <c>hf_…</c>
/// and Groq <c>gsk_…</c> tokens, <c>key</c>/<c>api_key</c>/<c>token</c> query parameters, API-key headers and
/// <c>"api_key": "…"</c> JSON members. Keys without a recognisable shape (for example Cohere's) are only removed
/// when passed explicitly, so connectors should always pass their configured key.
/// </remarks>
public static partial class SecretRedactor
{
    /// <summary>The text that replaces a secret.</summary>
    public const string Mask = "***";

    // A secret shorter than this is not searched for literally: replacing every "a" or "12" would make text useless
    // and such values cannot be real keys anyway.
    private const int MinimumLiteralSecretLength = 8;

    /// <summary>Returns <paramref name="text"/> with the given secrets and every well-known key shape replaced by <see cref="Mask"/>.</summary>
    /// <param name="text">The text to clean; <see langword="null"/> gives an empty string.</param>
    /// <param name="secrets">Secrets known to the caller (typically the configured API key); <see langword="null"/> entries are ignored.</param>
    /// <returns>The redacted text.</returns>
    public static string Redact(string? text, params ReadOnlySpan<string?> secrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        foreach (var secret in secrets)
        {
            if (secret is null || secret.Trim().Length < MinimumLiteralSecretLength)
            {
                continue;
            }

            var trimmed = secret.Trim();
            text = text.Replace(trimmed, Mask, StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(trimmed);
            if (!string.Equals(escaped, trimmed, StringComparison.Ordinal))
            {
                text = text.Replace(escaped, Mask, StringComparison.OrdinalIgnoreCase);
            }
        }

        text = BearerToken().Replace(text, "$1" + Mask);
        text = KnownKeyShape().Replace(text, "$1" + Mask);
        text = SecretQueryParameter().Replace(text, "$1" + Mask);
        text = SecretHeader().Replace(text, "$1" + Mask);
        text = SecretJsonMember().Replace(text, "$1" + Mask + "\"");
        return text;
    }

    /// <summary>
    /// Describes a secret for display without revealing it: the public prefix of a well-known key shape followed by
    /// "…(redacted)" (for example <c>sk-ant-…(redacted)</c>), <see cref="Mask"/> for any other value, or
    /// "(not set)".
    /// </summary>
    /// <param name="secret">The secret to describe.</param>
    /// <returns>A display string that never contains the secret.</returns>
    public static string Describe(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            return "(not set)";
        }

        ReadOnlySpan<string> publicPrefixes = ["sk-ant-", "sk-proj-", "sk-", "AIza", "hf_", "gsk_"];
        foreach (var prefix in publicPrefixes)
        {
            // The prefix only names the key type; require a long remainder so a short value is never half-shown.
            if (secret.StartsWith(prefix, StringComparison.Ordinal) && secret.Length >= prefix.Length + MinimumLiteralSecretLength)
            {
                return prefix + "…(redacted)";
            }
        }

        return Mask;
    }

    /// <summary>Redacts <paramref name="text"/> and shortens it to at most <paramref name="maxLength"/> characters plus an ellipsis.</summary>
    /// <param name="text">The text to clean.</param>
    /// <param name="maxLength">The maximum number of characters kept.</param>
    /// <param name="secrets">Secrets known to the caller.</param>
    /// <returns>The redacted, shortened text.</returns>
    public static string RedactAndTruncate(string? text, int maxLength, params ReadOnlySpan<string?> secrets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        var redacted = Redact(text, secrets);
        return redacted.Length <= maxLength ? redacted : string.Concat(redacted.AsSpan(0, maxLength), "…");
    }

    [GeneratedRegex(@"(\bBearer\s+)[A-Za-z0-9\-._~+/]+=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"\b(sk-ant-|sk-proj-|sk-|AIza|hf_|gsk_)[A-Za-z0-9_\-]{16,}", RegexOptions.CultureInvariant)]
    private static partial Regex KnownKeyShape();

    [GeneratedRegex(@"([?&;](?:api[_-]?key|key|access_token|token|sig)=)[^&#\s""'<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretQueryParameter();

    [GeneratedRegex(@"(\b(?:x-api-key|api-key|x-goog-api-key|authorization)\s*:\s*)(?!Bearer\b)[^\s,;""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretHeader();

    [GeneratedRegex(@"(""(?:api_?key|apiKey|access_token|secret)""\s*:\s*"")[^""]*""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretJsonMember();
}
