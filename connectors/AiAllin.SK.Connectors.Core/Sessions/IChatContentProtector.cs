namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>
/// Encrypts and authenticates stored message content. The session id and the message's sequence are bound to the
/// ciphertext as associated data, so a protected message cannot be moved to another position or session unnoticed.
/// Implementations must be thread-safe.
/// </summary>
public interface IChatContentProtector
{
    /// <summary>Protects a serialized message.</summary>
    /// <param name="plaintext">The message's serialized bytes.</param>
    /// <param name="sessionId">The session the message belongs to.</param>
    /// <param name="sequence">The message's sequence in the session (1-based).</param>
    /// <returns>The protected bytes, self-contained (format version, nonce, tag, ciphertext).</returns>
    byte[] Protect(ReadOnlySpan<byte> plaintext, string sessionId, long sequence);

    /// <summary>Verifies and decrypts bytes produced by <see cref="Protect"/> with the same session id and sequence.</summary>
    /// <param name="protectedData">The protected bytes.</param>
    /// <param name="sessionId">The session the message is read from.</param>
    /// <param name="sequence">The sequence it is read at.</param>
    /// <returns>The message's serialized bytes.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The data was altered, belongs to another
    /// session or sequence, or was protected with another key.</exception>
    byte[] Unprotect(ReadOnlySpan<byte> protectedData, string sessionId, long sequence);
}
