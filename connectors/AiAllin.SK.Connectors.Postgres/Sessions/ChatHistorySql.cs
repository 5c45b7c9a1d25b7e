namespace AiAllin.SK.Connectors.Postgres.Sessions;

/// <summary>
/// The statements of the chat-history store, built once from validated, quoted table names. Values are always
/// parameters. "Live" means not expired at <c>@now</c>, the store clock's time passed with every statement.
/// </summary>
internal sealed class ChatHistorySql
{
    private const string Live = "(expires_at IS NULL OR expires_at > @now)";
    private const string SessionColumns = "id, owner_id, tenant_id, title, metadata, created_at, updated_at, expires_at, version";

    public ChatHistorySql(ChatTableNames names)
    {
        var s = names.Sessions;
        var m = names.Messages;

        DeleteExpiredWithId = $"DELETE FROM {s} WHERE id = @id AND expires_at <= @now";
        Insert = $"""
            INSERT INTO {s} ({SessionColumns})
            VALUES (@id, @owner, @tenant, @title, @metadata, @now, @now, @expires, 0)
            ON CONFLICT (id) DO NOTHING
            """;

        // Run together in one REPEATABLE READ transaction (one round trip), so both see one snapshot: the messages
        // end at the version of the session row read. Two plain statements are cheaper than the union below.
        GetSession = $"SELECT {SessionColumns} FROM {s} WHERE id = @id AND {Live}";
        GetMessages = $"""
            SELECT m.seq, m.message, m.message_protected
            FROM (SELECT version FROM {s} WHERE id = @id AND {Live}) v
            JOIN {m} m ON m.session_id = @id AND m.seq > greatest(@after, v.version - @max) AND m.seq <= v.version
            ORDER BY m.seq
            """;

        // The system messages older than the window: rows marked as such, and every row written before the marks existed
        // (sequences up to the session's unmarked_through), which the reader filters by role. The partial index on marked
        // rows serves the first branch; a session with no unmarked rows reads nothing else.
        GetEarlierSystemMessages = $"""
            WITH v AS (SELECT version, unmarked_through FROM {s} WHERE id = @id AND {Live})
            SELECT e.seq, e.message, e.message_protected FROM (
                SELECT m.seq, m.message, m.message_protected FROM v JOIN {m} m ON m.session_id = @id AND m.pinned
                    AND m.seq > greatest(@after, v.unmarked_through) AND m.seq <= v.version - @max
                UNION ALL
                SELECT m.seq, m.message, m.message_protected FROM v JOIN {m} m ON m.session_id = @id
                    AND m.seq > @after AND m.seq <= least(v.unmarked_through, v.version - @max)) e
            ORDER BY e.seq
            """;

        // Inside a caller's transaction (whose isolation level is theirs): one statement, so one snapshot, the session
        // row first (seq NULL), then its messages up to the version read.
        Get = $"""
            WITH s AS (SELECT {SessionColumns}, unmarked_through FROM {s} WHERE id = @id AND {Live})
            SELECT {SessionColumns}, NULL::bigint AS seq, NULL::json AS message, NULL::bytea AS message_protected FROM s
            UNION ALL
            SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, m.seq, m.message, m.message_protected
            FROM s JOIN {m} m ON m.session_id = s.id AND m.seq > greatest(@after, s.version - @max) AND m.seq <= s.version
            UNION ALL
            SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, m.seq, m.message, m.message_protected
            FROM s JOIN {m} m ON @earlier AND m.session_id = s.id AND m.pinned
                AND m.seq > greatest(@after, s.unmarked_through) AND m.seq <= s.version - @max
            UNION ALL
            SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, m.seq, m.message, m.message_protected
            FROM s JOIN {m} m ON @earlier AND m.session_id = s.id
                AND m.seq > @after AND m.seq <= least(s.unmarked_through, s.version - @max)
            ORDER BY seq NULLS FIRST
            """;

        LiveVersion = $"SELECT version FROM {s} WHERE id = @id AND {Live}";
        LockLiveVersion = $"SELECT version FROM {s} WHERE id = @id AND {Live} FOR NO KEY UPDATE";

        // The row lock taken by the UPDATE serialises concurrent appends to a session; under READ COMMITTED a waiting
        // append re-reads the row after the lock holder commits, so it numbers its messages after the winner's and its
        // version check sees the winner's version.
        AppendInOneStatement = $"""
            WITH s AS (
                UPDATE {s} SET version = version + @count, updated_at = @now
                WHERE id = @id AND {Live} AND (@expected::bigint IS NULL OR version = @expected)
                RETURNING version),
            ins AS (
                INSERT INTO {m} (session_id, seq, message, created_at, pinned)
                SELECT @id, s.version - @count + i.ord, i.message, @now, i.pinned
                FROM s CROSS JOIN unnest(@messages::json[], @pinned::boolean[]) WITH ORDINALITY AS i(message, pinned, ord))
            SELECT version FROM s
            """;

        InsertProtectedMessages = $"""
            INSERT INTO {m} (session_id, seq, message_protected, created_at, pinned)
            SELECT @id, @base + i.ord, i.message, @now, i.pinned
            FROM unnest(@messages::bytea[], @pinned::boolean[]) WITH ORDINALITY AS i(message, pinned, ord)
            """;
        CopyMessages = $"COPY {m} (session_id, seq, message, message_protected, created_at, pinned) FROM STDIN (FORMAT BINARY)";
        SetVersion = $"UPDATE {s} SET version = @version, updated_at = @now WHERE id = @id";

        List = $"""
            SELECT {SessionColumns} FROM {s}
            WHERE owner_id = @owner AND (@tenant::text IS NULL OR tenant_id = @tenant) AND {Live}
            ORDER BY updated_at DESC, id COLLATE "C"
            OFFSET @skip LIMIT @take
            """;
        Delete = $"DELETE FROM {s} WHERE id = @id RETURNING {Live}";
        SetExpiry = $"UPDATE {s} SET expires_at = @expires WHERE id = @id AND {Live}";

        // Batches keep each delete's transaction short; SKIP LOCKED lets several instances purge side by side.
        PurgeBatch = $"""
            DELETE FROM {s} WHERE id IN (
                SELECT id FROM {s} WHERE expires_at <= @now ORDER BY expires_at LIMIT @batch FOR UPDATE SKIP LOCKED)
            """;
    }

    public string DeleteExpiredWithId { get; }

    public string Insert { get; }

    public string Get { get; }

    public string GetSession { get; }

    public string GetMessages { get; }

    public string GetEarlierSystemMessages { get; }

    public string LiveVersion { get; }

    public string LockLiveVersion { get; }

    public string AppendInOneStatement { get; }

    public string InsertProtectedMessages { get; }

    public string CopyMessages { get; }

    public string SetVersion { get; }

    public string List { get; }

    public string Delete { get; }

    public string SetExpiry { get; }

    public string PurgeBatch { get; }
}
