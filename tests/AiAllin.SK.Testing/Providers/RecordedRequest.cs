using System.Text.Json.Nodes;

namespace AiAllin.SK.Testing.Providers;

/// <summary>A request the wire server received, kept so tests can assert what the client sent.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, for example <c>/v1/chat/completions</c>.</param>
/// <param name="Query">The query string including the leading <c>?</c>, or empty.</param>
/// <param name="Headers">The request headers (names lower-case, values joined by a comma).</param>
/// <param name="BodyText">The raw body.</param>
/// <param name="Body">The body parsed as JSON, or <see langword="null"/> when empty or not JSON.</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string BodyText,
    JsonNode? Body)
{
    /// <summary>Gets a header's value, or <see langword="null"/>.</summary>
    /// <param name="name">The header name, any case.</param>
    /// <returns>The value.</returns>
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}
