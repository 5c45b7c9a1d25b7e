using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>
/// Encrypts stored chat messages with AES-GCM under a caller-supplied 128-, 192- or 256-bit key. Each message gets a
/// random 96-bit nonce; the session id and sequence are authenticated as associated data. Thread-safe.
/// </summary>
/// <remarks>
/// Layout of the protected bytes: format version (1 byte, currently 1), nonce (12 bytes), tag (16 bytes), ciphertext.
/// The key is copied; keep the original in a secret store, since without it stored content cannot be read.
/// </remarks>
public sealed class AesGcmChatContentProtector : IChatContentProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    private readonly byte[] _key;

    /// <summary>Creates a protector with the given key.</summary>
    /// <param name="key">A 16-, 24- or 32-byte AES key.</param>
    /// <exception cref="ArgumentException">The key has another length.</exception>
    public AesGcmChatContentProtector(ReadOnlySpan<byte> key)
    {
        if (key.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException($"An AES key has 16, 24 or 32 bytes; this one has {key.Length}.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <inheritdoc />
    public byte[] Protect(ReadOnlySpan<byte> plaintext, string sessionId, long sequence)
    {
        var associatedData = AssociatedData(sessionId, sequence);
        var output = new byte[HeaderSize + plaintext.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(HeaderSize), output.AsSpan(1 + NonceSize, TagSize), associatedData);
        return output;
    }

    /// <inheritdoc />
    public byte[] Unprotect(ReadOnlySpan<byte> protectedData, string sessionId, long sequence)
    {
        var associatedData = AssociatedData(sessionId, sequence);
        if (protectedData.Length < HeaderSize || protectedData[0] != FormatVersion)
        {
            throw Failure(sessionId, sequence, null);
        }

        var plaintext = new byte[protectedData.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(protectedData.Slice(1, NonceSize), protectedData[HeaderSize..], protectedData.Slice(1 + NonceSize, TagSize), plaintext, associatedData);
        }
        catch (CryptographicException ex)
        {
            throw Failure(sessionId, sequence, ex);
        }

        return plaintext;
    }

    // Length-prefixed so that no (session id, sequence) pair can produce another pair's bytes.
    private static byte[] AssociatedData(string sessionId, long sequence)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var idLength = Encoding.UTF8.GetByteCount(sessionId);
        var data = new byte[4 + idLength + 8];
        BinaryPrimitives.WriteInt32BigEndian(data, idLength);
        Encoding.UTF8.GetBytes(sessionId, data.AsSpan(4));
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(4 + idLength), sequence);
        return data;
    }

    private static CryptographicException Failure(string sessionId, long sequence, Exception? inner) =>
        new($"Stored chat message {sequence} of session '{sessionId}' failed authentication: it was altered, moved from another position or session, or protected with another key.", inner);
}
