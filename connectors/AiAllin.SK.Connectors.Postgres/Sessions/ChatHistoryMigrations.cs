using Npgsql;

namespace AiAllin.SK.Connectors.Postgres.Sessions;

/// <summary>
/// The versioned schema of the chat-history tables. Each migration runs once per schema, recorded in the migrations
/// table; all pending ones run in one transaction under an advisory lock, so concurrent first users neither race nor
/// see a half-built schema. Shipped migrations are never edited: a change is a new entry at the end.
/// </summary>
internal static class ChatHistoryMigrations
{
    private static readonly (int Version, string Description, Func<ChatTableNames, string> Sql)[] AllMigrations =
    [
        (1, "sessions and messages tables", CreateTables),
        (2, "system-message marks for windowed reads", MarkSystemMessages),
    ];

    /// <summary>The newest schema version this code knows.</summary>
    public static int LatestVersion => AllMigrations[^1].Version;

    /// <summary>Applies the pending migrations; returns how many were applied (0 when the schema was current).</summary>
    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, ChatTableNames names, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);

        var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", connection, transaction);
        await using (lockCommand.ConfigureAwait(false))
        {
            lockCommand.Parameters.AddWithValue("key", names.LockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // CREATE SCHEMA IF NOT EXISTS needs the database-level CREATE privilege even when the schema exists, so look first.
        var existsCommand = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", connection, transaction);
        await using (existsCommand.ConfigureAwait(false))
        {
            existsCommand.Parameters.AddWithValue("schema", names.SchemaName);
            if (!(bool)(await existsCommand.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                await ExecuteAsync(connection, transaction, $"CREATE SCHEMA {names.Schema}", cancellationToken).ConfigureAwait(false);
            }
        }

        await ExecuteAsync(
            connection,
            transaction,
            $"""
            CREATE TABLE IF NOT EXISTS {names.Migrations} (
                version integer PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """,
            cancellationToken).ConfigureAwait(false);

        int current;
        var versionCommand = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {names.Migrations}", connection, transaction);
        await using (versionCommand.ConfigureAwait(false))
        {
            current = (int)(await versionCommand.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var applied = 0;
        foreach (var (version, description, sql) in AllMigrations)
        {
            if (version <= current)
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, sql(names), cancellationToken).ConfigureAwait(false);
            var record = new NpgsqlCommand($"INSERT INTO {names.Migrations} (version, description) VALUES (@version, @description)", connection, transaction);
            await using var recordScope = record.ConfigureAwait(false);
            record.Parameters.AddWithValue("version", version);
            record.Parameters.AddWithValue("description", description);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            applied++;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using var commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // version is the message count, so the next message's sequence is version + 1 and needs no separate counter.
    // The owner index serves ListAsync's order (ids compare ordinally, hence COLLATE "C").
    // message and metadata are json, not jsonb: jsonb reorders object keys, so function arguments, additional
    // properties and metadata would not read back as written; json keeps the text verbatim (still validated, still
    // queryable with ->>).
    // message_protected holds the bytes encrypted when a protector is set. Exactly one of the two is set per row, so a
    // store can start encrypting without rewriting older rows.
    // pinned marks system and developer messages, so a read of a recent window can add the earlier ones without reading
    // the rest (the role is inside the JSON, or inside encrypted bytes). Rows written before this migration have no
    // mark: unmarked_through records how far each session's unmarked rows go, and reads look at those rows' roles
    // instead. Adding a column with a constant default rewrites nothing; the partial index holds marked rows only.
    private static string MarkSystemMessages(ChatTableNames names) =>
        $"""
        ALTER TABLE {names.Messages} ADD COLUMN pinned boolean NOT NULL DEFAULT false;
        ALTER TABLE {names.Sessions} ADD COLUMN unmarked_through bigint NOT NULL DEFAULT 0;
        UPDATE {names.Sessions} SET unmarked_through = version WHERE version > 0;
        CREATE INDEX {names.MessagesPinnedIndex} ON {names.Messages} (session_id, seq) WHERE pinned;
        """;

    private static string CreateTables(ChatTableNames names) =>
        $"""
        CREATE TABLE {names.Sessions} (
            id text PRIMARY KEY,
            owner_id text,
            tenant_id text,
            title text,
            metadata json,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            expires_at timestamptz,
            version bigint NOT NULL DEFAULT 0);
        CREATE INDEX {names.SessionsOwnerIndex} ON {names.Sessions} (owner_id, updated_at DESC, id COLLATE "C");
        CREATE INDEX {names.SessionsExpiryIndex} ON {names.Sessions} (expires_at) WHERE expires_at IS NOT NULL;
        CREATE TABLE {names.Messages} (
            session_id text NOT NULL REFERENCES {names.Sessions} (id) ON DELETE CASCADE,
            seq bigint NOT NULL,
            message json,
            message_protected bytea,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (session_id, seq),
            CHECK ((message IS NULL) <> (message_protected IS NULL)));
        """;
}
