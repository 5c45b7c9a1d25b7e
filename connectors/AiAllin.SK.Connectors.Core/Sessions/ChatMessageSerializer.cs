using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>
/// The one JSON form of a stored <see cref="ChatMessage"/>, shared by every chat history store. It is the
/// Microsoft.Extensions.AI form (<see cref="AIJsonUtilities.DefaultOptions"/>, written without indentation): role, author name, message id, creation
/// time, additional properties, and each content with its <c>$type</c> discriminator — text, reasoning, data and URIs,
/// function calls with their arguments and call ids, function results, usage, errors and hosted files.
/// </summary>
/// <remarks>
/// Values typed <see cref="object"/> (function arguments and results, additional property values) come back as
/// <see cref="JsonElement"/> holding the same JSON. <c>RawRepresentation</c> is not serialized.
/// </remarks>
public static class ChatMessageSerializer
{
    private static readonly JsonSerializerOptions CompactOptions = CreateOptions();

    private static readonly JsonTypeInfo<ChatMessage> TypeInfo =
        (JsonTypeInfo<ChatMessage>)CompactOptions.GetTypeInfo(typeof(ChatMessage));

    /// <summary>Gets the serializer options used (read-only).</summary>
    public static JsonSerializerOptions Options => CompactOptions;

    /// <summary>Serializes a message to UTF-8 JSON.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The JSON bytes.</returns>
    public static byte[] SerializeToUtf8Bytes(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.SerializeToUtf8Bytes(message, TypeInfo);
    }

    /// <summary>Serializes a message to a JSON string.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.Serialize(message, TypeInfo);
    }

    /// <summary>Reads a message from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The JSON bytes.</param>
    /// <returns>A new message.</returns>
    /// <exception cref="JsonException">The JSON is not a serialized message.</exception>
    public static ChatMessage Deserialize(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, TypeInfo) ?? throw new JsonException("A stored chat message is JSON null.");

    /// <summary>Reads a message as a store keeps it: unprotected first when the store has a content protector.</summary>
    /// <param name="stored">The stored bytes: UTF-8 JSON, or its protected form when <paramref name="protector"/> is set.</param>
    /// <param name="protector">The store's protector, or <see langword="null"/> when content is stored in the clear.</param>
    /// <param name="sessionId">The message's session, bound into its protection.</param>
    /// <param name="sequence">The message's sequence, bound into its protection.</param>
    /// <returns>A new message.</returns>
    /// <exception cref="JsonException">The JSON is not a serialized message.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">Protected content failed authentication.</exception>
    public static ChatMessage Deserialize(ReadOnlySpan<byte> stored, IChatContentProtector? protector, string sessionId, long sequence) =>
        protector is null ? Deserialize(stored) : Deserialize(protector.Unprotect(stored, sessionId, sequence));

    /// <summary>Reads a message from a JSON string.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>A new message.</returns>
    /// <exception cref="JsonException">The JSON is not a serialized message.</exception>
    public static ChatMessage Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, TypeInfo) ?? throw new JsonException("A stored chat message is JSON null.");
    }

    // M.E.AI's defaults indent (about a tenth more bytes per stored message, counted against the size limit). The
    // relaxed encoder is stated here, not inherited, because ChatHistoryValidator relies on it: it writes every
    // character that needs no escaping as itself, so an escaped \uFFFD in the output can only come from a lone
    // surrogate that the encoder replaced.
    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions)
        {
            WriteIndented = false,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly();
        return options;
    }
}
