namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>Options every <see cref="IChatHistoryStore"/> implementation accepts; stores derive their own options from it.</summary>
public class ChatHistoryStoreOptions
{
    /// <summary>The default for <see cref="MaxMessageBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxMessageBytes = 1024 * 1024;

    /// <summary>
    /// Gets or sets the largest accepted message, in bytes of its UTF-8 JSON serialization by
    /// <see cref="ChatMessageSerializer"/> (before any encryption). The default is <see cref="DefaultMaxMessageBytes"/>.
    /// </summary>
    public int MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>Gets or sets the protector that encrypts message content at rest; <see langword="null"/> stores it in clear.</summary>
    public IChatContentProtector? ContentProtector { get; set; }

    /// <summary>
    /// Gets or sets the clock for timestamps and expiry. The default is <see cref="TimeProvider.System"/>. A store whose
    /// database applies expiry may use the database's clock for expiry instead; its documentation says so.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
