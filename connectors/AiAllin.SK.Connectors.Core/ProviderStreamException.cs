using System.Globalization;
using System.Text.Json;

namespace AiAllin.SK.Connectors.Core;

/// <summary>
/// A streamed response contained a chunk that could not be read. Thrown after every earlier chunk was delivered,
/// it names the provider, the position of the chunk and its (redacted, shortened) content.
/// </summary>
public sealed class ProviderStreamException : ProviderException
{
    private const int MaxChunkLength = 200;

    /// <summary>Creates an exception with a default message.</summary>
    public ProviderStreamException()
        : base("A streamed response contained a malformed chunk.")
    {
        Chunk = string.Empty;
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message; it is redacted.</param>
    public ProviderStreamException(string message)
        : base(message)
    {
        Chunk = string.Empty;
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message; it is redacted.</param>
    /// <param name="innerException">The cause.</param>
    public ProviderStreamException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Chunk = string.Empty;
    }

    /// <summary>Creates an exception for a malformed chunk.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="chunk">The offending line or event data; it is redacted and shortened to about 200 characters.</param>
    /// <param name="chunkNumber">The 1-based line number (NDJSON) or event number (SSE).</param>
    /// <param name="chunkKind">"line" or "event", used in the message.</param>
    /// <param name="innerException">The parse failure, usually a <see cref="JsonException"/>.</param>
    public ProviderStreamException(string provider, string chunk, int chunkNumber, string chunkKind, Exception? innerException)
        : base(provider, ComposeMessage(provider, chunk, chunkNumber, chunkKind, innerException), innerException)
    {
        Chunk = SecretRedactor.RedactAndTruncate(chunk, MaxChunkLength);
        ChunkNumber = chunkNumber;
    }

    /// <summary>Gets the offending line or event data, redacted and shortened.</summary>
    public string Chunk { get; }

    /// <summary>Gets the 1-based line number (NDJSON) or event number (SSE) of the offending chunk.</summary>
    public int ChunkNumber { get; }

    private static string ComposeMessage(string provider, string chunk, int chunkNumber, string chunkKind, Exception? innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(chunkKind);
        var reason = innerException is null ? string.Empty : " " + innerException.Message;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{provider} sent a malformed stream chunk at {chunkKind} {chunkNumber}: '{SecretRedactor.RedactAndTruncate(chunk, MaxChunkLength)}'.{reason}");
    }
}
