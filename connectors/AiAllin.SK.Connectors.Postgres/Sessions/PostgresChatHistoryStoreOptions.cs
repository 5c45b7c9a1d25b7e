using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Postgres.Sessions;

/// <summary>Options of a <see cref="PostgresChatHistoryStore"/>.</summary>
/// <remarks>
/// Expiry is evaluated with <see cref="ChatHistoryStoreOptions.TimeProvider"/> (the application's clock, passed to
/// every statement), not the database's <c>now()</c>, so reads, writes and cleanup agree with the timestamps the store
/// writes.
/// </remarks>
public sealed class PostgresChatHistoryStoreOptions : ChatHistoryStoreOptions
{
    /// <summary>The default for <see cref="CleanupInterval"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultCleanupInterval = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets the schema that holds the tables; created on first use when missing. Lowercase letters, digits and
    /// underscores. The default is <c>public</c>.
    /// </summary>
    public string Schema { get; set; } = "public";

    /// <summary>
    /// Gets or sets the prefix of the table names (<c>{prefix}sessions</c>, <c>{prefix}messages</c>,
    /// <c>{prefix}migrations</c>). Lowercase letters, digits and underscores, or empty. The default is <c>chat_</c>.
    /// </summary>
    public string TablePrefix { get; set; } = "chat_";

    /// <summary>
    /// Gets or sets how often the registered background service deletes expired sessions. Zero or negative disables the
    /// service; <see cref="PostgresChatHistoryStore.PurgeExpiredAsync"/> can still be called. The default is
    /// <see cref="DefaultCleanupInterval"/>.
    /// </summary>
    public TimeSpan CleanupInterval { get; set; } = DefaultCleanupInterval;

    /// <summary>
    /// Gets or sets the logger factory for the store's diagnostics (appends, concurrency conflicts); <see langword="null"/>
    /// logs nothing, except that <c>AddPostgresChatHistoryStore</c> then uses the container's factory.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal PostgresChatHistoryStoreOptions WithLoggerFactory(ILoggerFactory? loggerFactory) => new()
    {
        MaxMessageBytes = MaxMessageBytes,
        ContentProtector = ContentProtector,
        TimeProvider = TimeProvider,
        Schema = Schema,
        TablePrefix = TablePrefix,
        CleanupInterval = CleanupInterval,
        LoggerFactory = LoggerFactory ?? loggerFactory,
    };
}
