using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>
/// Durable chat sessions: an ordered, append-only list of <see cref="ChatMessage"/> per session, with owner, tenant,
/// title, metadata, a version for optimistic concurrency and an optional expiry.
/// </summary>
/// <remarks>
/// <para>Every implementation follows these rules; the shared conformance suite checks them.</para>
/// <list type="bullet">
/// <item><description><b>Sequence and version.</b> The messages of a session are numbered 1, 2, 3… in append order
/// (their <i>sequence</i>). A session's <see cref="ChatSessionInfo.Version"/> is its message count, so the version
/// after an append is the sequence of the last appended message. A new session has version 0.</description></item>
/// <item><description><b>Atomic appends.</b> An append stores all of its messages, contiguously and in order, or none.
/// Concurrent appends to one session are serialized: no message is lost, duplicated or reordered, and the messages of
/// one batch are never interleaved with another's.</description></item>
/// <item><description><b>Expiry.</b> A session is expired once <see cref="ChatSessionInfo.ExpiresAt"/> is at or before the
/// store's clock. An expired session behaves as if it did not exist, immediately, whether or not a cleanup has run:
/// <see cref="GetAsync"/> returns <see langword="null"/>, <see cref="AppendAsync"/> throws
/// <see cref="ChatSessionNotFoundException"/>, <see cref="ListAsync"/> skips it, and its id can be created anew.</description></item>
/// <item><description><b>Validation first.</b> Invalid ids, options or messages (see <see cref="ChatHistoryValidator"/>)
/// raise an <see cref="ArgumentException"/> naming the parameter before anything is written; stored data is unchanged.</description></item>
/// <item><description><b>Isolation.</b> Messages are stored serialized (<see cref="ChatMessageSerializer"/>), so objects
/// returned by a read are new instances and mutating them, or the objects passed to an append, never changes stored data.
/// <see cref="ChatMessage.RawRepresentation"/> and <see cref="AIContent.RawRepresentation"/> are not stored.</description></item>
/// <item><description><b>Encryption at rest.</b> When the store has an <see cref="IChatContentProtector"/>, each message's
/// serialized bytes are protected with its session id and sequence, and a read of content that fails authentication
/// (altered, moved to another row or session, other key) throws <see cref="System.Security.Cryptography.CryptographicException"/>.</description></item>
/// <item><description><b>Timestamps</b> are UTC with microsecond precision (finer parts are truncated), so every store
/// returns the same values.</description></item>
/// </list>
/// </remarks>
public interface IChatHistoryStore
{
    /// <summary>Creates an empty session (version 0).</summary>
    /// <param name="options">Owner, optional id, tenant, title, metadata and expiry.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The new session's information; <see cref="ChatSessionInfo.CreatedAt"/> equals <see cref="ChatSessionInfo.UpdatedAt"/>.</returns>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="ChatHistoryValidator.ValidateCreateOptions"/>).</exception>
    /// <exception cref="ChatSessionAlreadyExistsException">A live (not expired) session already has <see cref="ChatSessionCreateOptions.Id"/>.
    /// An expired session with that id is replaced, and its messages are gone.</exception>
    Task<ChatSessionInfo> CreateAsync(ChatSessionCreateOptions options, CancellationToken cancellationToken = default);

    /// <summary>Reads a session's information and its messages in sequence order.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="options">Which messages to return; <see langword="null"/> returns all of them.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The session, or <see langword="null"/> when it does not exist or has expired.</returns>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> or <paramref name="options"/> is invalid.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">Protected content failed authentication.</exception>
    Task<ChatSession?> GetAsync(string sessionId, ChatHistoryReadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets a value indicating whether <see cref="GetAsync"/> honours <see cref="ChatHistoryReadOptions.IncludeEarlierSystemMessages"/>.
    /// Turns with a <see cref="TokenBudgetChatHistoryReducer"/> read only a recent window from a store that does, and the
    /// whole session from one that does not (a store written before the option existed), so no instruction is lost.
    /// </summary>
    bool SupportsEarlierSystemMessages => false;

    /// <summary>
    /// Appends messages to a session atomically and returns its new version. An empty batch writes nothing and returns
    /// the current version (after the same existence and version checks). A non-empty append sets
    /// <see cref="ChatSessionInfo.UpdatedAt"/> to the store's clock.
    /// </summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="messages">The messages, in order; enumerated once.</param>
    /// <param name="expectedVersion">
    /// The version the caller last read, to append only if nobody appended since; <see langword="null"/> appends
    /// after whatever is there.
    /// </param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The session's version after the append (its message count).</returns>
    /// <exception cref="ArgumentException">The id is invalid, a message is <see langword="null"/>, cannot be serialized,
    /// or its serialized size exceeds <see cref="ChatHistoryStoreOptions.MaxMessageBytes"/>; nothing is written.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is negative.</exception>
    /// <exception cref="ChatSessionNotFoundException">The session does not exist or has expired.</exception>
    /// <exception cref="ChatHistoryConcurrencyException">The session's version is not <paramref name="expectedVersion"/>; nothing is written.</exception>
    Task<long> AppendAsync(string sessionId, IEnumerable<ChatMessage> messages, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists an owner's live sessions, most recently updated first (<see cref="ChatSessionInfo.UpdatedAt"/> descending,
    /// then <see cref="ChatSessionInfo.Id"/> in ordinal order, so paging is stable).
    /// </summary>
    /// <param name="ownerId">The owner id; only its sessions are returned.</param>
    /// <param name="query">Tenant filter and paging; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token to cancel the enumeration.</param>
    /// <returns>The sessions' information, without messages.</returns>
    /// <exception cref="ArgumentException"><paramref name="ownerId"/> or <paramref name="query"/> is invalid (thrown on enumeration at the latest).</exception>
    IAsyncEnumerable<ChatSessionInfo> ListAsync(string ownerId, ChatSessionQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a session and all of its messages.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a live session was deleted; <see langword="false"/> when none existed or it had
    /// already expired (an expired session is removed all the same).</returns>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is invalid.</exception>
    Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets or clears a live session's expiry. A time at or before the store's clock expires the session at once.
    /// <see cref="ChatSessionInfo.UpdatedAt"/> and the version are unchanged. An expired session cannot be revived.
    /// </summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="expiresAt">The new expiry, or <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when the session was live and now has the expiry; <see langword="false"/> when it did not exist or had expired.</returns>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is invalid.</exception>
    Task<bool> SetExpiryAsync(string sessionId, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Removes every expired session and its messages. Stores with a background cleanup call this periodically.</summary>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The number of sessions removed.</returns>
    Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default);
}
