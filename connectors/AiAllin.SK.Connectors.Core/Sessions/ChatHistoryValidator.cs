using System.Globalization;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>
/// The input rules every <see cref="IChatHistoryStore"/> applies before it writes, so that all stores accept and
/// reject the same things. Each method throws an <see cref="ArgumentException"/> (or a subclass) naming the parameter.
/// </summary>
public static class ChatHistoryValidator
{
    /// <summary>The longest session id, in UTF-16 characters.</summary>
    public const int MaxSessionIdLength = 128;

    /// <summary>The longest owner or tenant id, in UTF-16 characters.</summary>
    public const int MaxPrincipalIdLength = 256;

    /// <summary>The longest title, in UTF-16 characters.</summary>
    public const int MaxTitleLength = 1024;

    /// <summary>The most metadata entries a session may have.</summary>
    public const int MaxMetadataEntries = 64;

    /// <summary>The longest metadata key, in UTF-16 characters.</summary>
    public const int MaxMetadataKeyLength = 128;

    /// <summary>The longest metadata value, in UTF-16 characters.</summary>
    public const int MaxMetadataValueLength = 4096;

    /// <summary>Checks a session id: not empty or blank, at most <see cref="MaxSessionIdLength"/> characters, no control characters.</summary>
    /// <param name="sessionId">The id.</param>
    /// <param name="paramName">The parameter name to report.</param>
    public static void ValidateSessionId(string? sessionId, string paramName = "sessionId") =>
        ValidateId(sessionId, MaxSessionIdLength, "session id", paramName);

    /// <summary>Checks an owner id: not empty or blank, at most <see cref="MaxPrincipalIdLength"/> characters, no control characters.</summary>
    /// <param name="ownerId">The id.</param>
    /// <param name="paramName">The parameter name to report.</param>
    public static void ValidateOwnerId(string? ownerId, string paramName = "ownerId") =>
        ValidateId(ownerId, MaxPrincipalIdLength, "owner id", paramName);

    /// <summary>Checks an optional tenant id: when given, the same rules as an owner id.</summary>
    /// <param name="tenantId">The id, or <see langword="null"/>.</param>
    /// <param name="paramName">The parameter name to report.</param>
    public static void ValidateTenantId(string? tenantId, string paramName = "tenantId")
    {
        if (tenantId is not null)
        {
            ValidateId(tenantId, MaxPrincipalIdLength, "tenant id", paramName);
        }
    }

    /// <summary>
    /// Checks creation options: the id (when given), owner and tenant ids, a title of at most <see cref="MaxTitleLength"/>
    /// characters without NUL, at most <see cref="MaxMetadataEntries"/> metadata entries with valid keys and non-null
    /// values, and at most one of <see cref="ChatSessionCreateOptions.ExpiresAt"/> and a positive
    /// <see cref="ChatSessionCreateOptions.TimeToLive"/>.
    /// </summary>
    /// <param name="options">The options.</param>
    public static void ValidateCreateOptions(ChatSessionCreateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Id is not null)
        {
            ValidateSessionId(options.Id, "options.Id");
        }

        ValidateOwnerId(options.OwnerId, "options.OwnerId");
        ValidateTenantId(options.TenantId, "options.TenantId");
        if (options.Title is not null)
        {
            if (options.Title.Length > MaxTitleLength || options.Title.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The title must have at most {MaxTitleLength} characters and no NUL character.", "options.Title");
            }

            ThrowIfLoneSurrogate(options.Title, "title", "options.Title");
        }

        if (options.Metadata is not null)
        {
            ValidateMetadata(options.Metadata, "options.Metadata");
        }

        if (options.ExpiresAt is not null && options.TimeToLive is not null)
        {
            throw new ArgumentException("Set either ExpiresAt or TimeToLive, not both.", "options.TimeToLive");
        }

        if (options.TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("options.TimeToLive", ttl, "The time to live must be positive.");
        }
    }

    /// <summary>Checks read options: <see cref="ChatHistoryReadOptions.AfterVersion"/> and <see cref="ChatHistoryReadOptions.MaxMessages"/> not negative.</summary>
    /// <param name="options">The options, or <see langword="null"/>.</param>
    public static void ValidateReadOptions(ChatHistoryReadOptions? options)
    {
        if (options?.AfterVersion < 0)
        {
            throw new ArgumentOutOfRangeException("options.AfterVersion", options.AfterVersion, "The version must not be negative.");
        }

        if (options?.MaxMessages < 0)
        {
            throw new ArgumentOutOfRangeException("options.MaxMessages", options.MaxMessages, "The message count must not be negative.");
        }
    }

    /// <summary>Checks a list query: a valid tenant id when given, <see cref="ChatSessionQuery.Skip"/> not negative, <see cref="ChatSessionQuery.Take"/> positive.</summary>
    /// <param name="query">The query, or <see langword="null"/>.</param>
    public static void ValidateQuery(ChatSessionQuery? query)
    {
        if (query is null)
        {
            return;
        }

        ValidateTenantId(query.TenantId, "query.TenantId");
        if (query.Skip < 0)
        {
            throw new ArgumentOutOfRangeException("query.Skip", query.Skip, "Skip must not be negative.");
        }

        if (query.Take <= 0)
        {
            throw new ArgumentOutOfRangeException("query.Take", query.Take, "Take must be positive.");
        }
    }

    /// <summary>Checks an expected version: not negative when given.</summary>
    /// <param name="expectedVersion">The version, or <see langword="null"/>.</param>
    public static void ValidateExpectedVersion(long? expectedVersion)
    {
        if (expectedVersion < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, "The expected version must not be negative.");
        }
    }

    /// <summary>
    /// Serializes a batch of messages for an append and checks each: not <see langword="null"/>, no
    /// <see langword="null"/> item in <see cref="ChatMessage.Contents"/>, serializable (no NaN or infinity, for
    /// example), at most <paramref name="maxMessageBytes"/> bytes, no U+0000 character in any string (databases such as
    /// PostgreSQL cannot store it in text or jsonb) and no lone UTF-16 surrogate (JSON would silently replace it with
    /// U+FFFD). The whole batch is checked before the caller writes anything; each error names the message's index.
    /// </summary>
    /// <param name="messages">The messages; enumerated once.</param>
    /// <param name="maxMessageBytes">The size limit per message, in bytes of UTF-8 JSON.</param>
    /// <param name="paramName">The parameter name to report.</param>
    /// <returns>Each message's UTF-8 JSON, in order.</returns>
    public static IReadOnlyList<byte[]> SerializeMessages(IEnumerable<ChatMessage> messages, int maxMessageBytes, string paramName = "messages") =>
        SerializeMessages(messages, maxMessageBytes, out _, paramName);

    /// <summary>
    /// Serializes and checks a batch of messages for an append, as
    /// <see cref="SerializeMessages(IEnumerable{ChatMessage}, int, string)"/> does, and tells which are system messages
    /// (<see cref="ChatSession.IsSystemMessage"/>), so a store can mark them for
    /// <see cref="ChatHistoryReadOptions.IncludeEarlierSystemMessages"/> without reading the (possibly encrypted) bytes back.
    /// </summary>
    /// <param name="messages">The messages; enumerated once.</param>
    /// <param name="maxMessageBytes">The size limit per message, in bytes of UTF-8 JSON.</param>
    /// <param name="systemMessages">Receives, per message in order, whether it is a system message.</param>
    /// <param name="paramName">The parameter name to report.</param>
    /// <returns>Each message's UTF-8 JSON, in order.</returns>
    public static IReadOnlyList<byte[]> SerializeMessages(IEnumerable<ChatMessage> messages, int maxMessageBytes, out IReadOnlyList<bool> systemMessages, string paramName = "messages")
    {
        ArgumentNullException.ThrowIfNull(messages, paramName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);

        var serialized = new List<byte[]>();
        var system = new List<bool>();
        systemMessages = system;
        foreach (var message in messages)
        {
            var index = serialized.Count;
            if (message is null)
            {
                throw new ArgumentNullException(paramName, $"Message {index} of the batch is null.");
            }

            system.Add(ChatSession.IsSystemMessage(message));

            var contents = message.Contents;
            for (var j = 0; j < contents.Count; j++)
            {
                if (contents[j] is null)
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"Message {index} of the batch has a null item at Contents[{j}]."), paramName);
                }
            }

            byte[] json;
            try
            {
                json = ChatMessageSerializer.SerializeToUtf8Bytes(message);
            }
            catch (Exception ex) when (ex is NotSupportedException or System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
            {
                throw new ArgumentException($"Message {index} of the batch cannot be serialized: {ex.Message}", paramName, ex);
            }

            if (json.Length > maxMessageBytes)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Message {index} of the batch is {json.Length} bytes serialized; the limit is {maxMessageBytes}."),
                    paramName);
            }

            if (ContainsEscape(json, "\\u0000"u8))
            {
                throw new ArgumentException($"Message {index} of the batch contains a U+0000 character, which chat history stores do not accept.", paramName);
            }

            if (ContainsEscape(json, "\\uFFFD"u8))
            {
                throw new ArgumentException(
                    $"Message {index} of the batch contains a lone UTF-16 surrogate (half of a pair), which cannot be stored without changing the text.",
                    paramName);
            }

            serialized.Add(json);
        }

        return serialized;
    }

    private static void ValidateId(string? id, int maxLength, string what, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, paramName);
        if (id.Length > maxLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The {what} has {id.Length} characters; the limit is {maxLength}."), paramName);
        }

        foreach (var c in id)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"The {what} must not contain control characters.", paramName);
            }
        }

        ThrowIfLoneSurrogate(id, what, paramName);
    }

    // A lone surrogate is not Unicode text: databases reject it (or store U+FFFD instead), so every store refuses it up front.
    private static void ThrowIfLoneSurrogate(string value, string what, string paramName)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (!char.IsSurrogate(value[i]))
            {
                continue;
            }

            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The {what} contains a lone UTF-16 surrogate (U+{(int)value[i]:X4}) at index {i}."), paramName);
        }
    }

    private static void ValidateMetadata(IReadOnlyDictionary<string, string> metadata, string paramName)
    {
        if (metadata.Count > MaxMetadataEntries)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A session may have at most {MaxMetadataEntries} metadata entries; {metadata.Count} were given."), paramName);
        }

        foreach (var (key, value) in metadata)
        {
            ValidateId(key, MaxMetadataKeyLength, "metadata key", paramName);
            if (value is null || value.Length > MaxMetadataValueLength || value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Metadata '{key}' must have a value of at most {MaxMetadataValueLength} characters without NUL.", paramName);
            }

            ThrowIfLoneSurrogate(value, $"value of metadata '{key}'", paramName);
        }
    }

    // System.Text.Json always writes U+0000 as the escape \u0000, and ChatMessageSerializer's relaxed encoder writes
    // \uFFFD only for a lone surrogate it replaced (a real U+FFFD is written as itself). An odd run of backslashes
    // before "u…" is such an escape; an even run is an escaped backslash followed by plain text.
    private static bool ContainsEscape(ReadOnlySpan<byte> json, ReadOnlySpan<byte> pattern)
    {
        var offset = 0;
        while (true)
        {
            var found = json[offset..].IndexOf(pattern);
            if (found < 0)
            {
                return false;
            }

            var at = offset + found;
            var backslashes = 1;
            while (at - backslashes >= 0 && json[at - backslashes] == (byte)'\\')
            {
                backslashes++;
            }

            if (backslashes % 2 == 1)
            {
                return true;
            }

            offset = at + pattern.Length;
        }
    }
}
