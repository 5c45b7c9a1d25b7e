using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace AiAllin.SK.Connectors.Postgres.Sessions;

/// <summary>
/// An <see cref="IChatHistoryStore"/> on PostgreSQL: one row per session and one <c>json</c> row per message, numbered
/// by a per-session sequence, on one pooled <see cref="NpgsqlDataSource"/>. Messages are kept verbatim, so every one
/// reads back exactly as written.
/// </summary>
/// <remarks>
/// <para>The tables are created, and later migrated, on first use (or by <see cref="EnsureSchemaAsync"/>); concurrent
/// first users are serialised by an advisory lock.</para>
/// <para>An append is one transaction that locks the session row, checks the expected version, numbers and inserts all
/// messages (binary <c>COPY</c> for large batches) and advances the version, so concurrent writers never lose,
/// duplicate or interleave messages, and a failure at any point (including a dropped connection) leaves the session
/// as it was.</para>
/// <para>Expiry is checked by every read and write against <see cref="ChatHistoryStoreOptions.TimeProvider"/>;
/// <see cref="PurgeExpiredAsync"/> (run periodically by the service that
/// <c>AddPostgresChatHistoryStore</c> registers) reclaims the rows.</para>
/// <para>To write chat history and other data in one transaction, use <see cref="WithTransaction"/>.</para>
/// </remarks>
public sealed partial class PostgresChatHistoryStore : IChatHistoryStore, IAsyncDisposable, IDisposable
{
    /// <summary>Batches of at least this many messages are written with binary COPY instead of one INSERT.</summary>
    internal const int CopyThreshold = 64;

    private const int PurgeBatchSize = 1000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly NpgsqlTransaction? _transaction;
    private readonly ChatTableNames _names;
    private readonly ChatHistorySql _sql;
    private readonly SchemaGate _schemaGate;
    private readonly int _maxMessageBytes;
    private readonly IChatContentProtector? _protector;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a store on its own pooled data source built from a connection string; disposing the store disposes it.</summary>
    /// <param name="connectionString">An Npgsql connection string (pool size and timeouts come from it).</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The connection string is empty, or the schema or table prefix is not a valid name.</exception>
    public PostgresChatHistoryStore(string connectionString, PostgresChatHistoryStoreOptions? options = null)
        : this(NpgsqlDataSource.Create(ValidateConnectionString(connectionString)), ownsDataSource: true, options)
    {
    }

    /// <summary>Creates a store on the caller's data source; the caller keeps ownership of it.</summary>
    /// <param name="dataSource">The data source, typically shared by the whole application.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The schema or table prefix is not a valid name.</exception>
    public PostgresChatHistoryStore(NpgsqlDataSource dataSource, PostgresChatHistoryStoreOptions? options = null)
        : this(dataSource ?? throw new ArgumentNullException(nameof(dataSource)), ownsDataSource: false, options)
    {
    }

    private PostgresChatHistoryStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresChatHistoryStoreOptions? options)
    {
        options ??= new PostgresChatHistoryStoreOptions();
        try
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMessageBytes, "options.MaxMessageBytes");
            ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
            _names = new ChatTableNames(options.Schema, options.TablePrefix);
        }
        catch when (ownsDataSource)
        {
            dataSource.Dispose();
            throw;
        }

        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _sql = new ChatHistorySql(_names);
        _schemaGate = new SchemaGate();
        _maxMessageBytes = options.MaxMessageBytes;
        _protector = options.ContentProtector;
        _timeProvider = options.TimeProvider;
        _logger = options.LoggerFactory?.CreateLogger<PostgresChatHistoryStore>() ?? NullLogger<PostgresChatHistoryStore>.Instance;
    }

    private PostgresChatHistoryStore(PostgresChatHistoryStore parent, NpgsqlTransaction transaction)
    {
        _dataSource = parent._dataSource;
        _ownsDataSource = false;
        _transaction = transaction;
        _names = parent._names;
        _sql = parent._sql;
        _schemaGate = parent._schemaGate;
        _maxMessageBytes = parent._maxMessageBytes;
        _protector = parent._protector;
        _timeProvider = parent._timeProvider;
        _logger = parent._logger;
    }

    /// <summary>
    /// Returns a view of this store whose operations run on <paramref name="transaction"/>'s connection, inside it, so
    /// they commit or roll back with the caller's other work. The view never commits, rolls back or closes anything;
    /// the caller does. Use it on one thread at a time, as the connection itself requires.
    /// </summary>
    /// <param name="transaction">An open transaction on a connection to the same database.</param>
    /// <returns>A store bound to the transaction, sharing this store's options; disposing it does nothing.</returns>
    /// <remarks>
    /// The tables are created (if needed) on a separate pooled connection before the first statement runs in the
    /// transaction. A failed statement aborts the caller's transaction, as any PostgreSQL error does; an optimistic
    /// concurrency failure is detected without an error, so the transaction stays usable. Once the transaction has
    /// completed, the view's operations fail with Npgsql's <see cref="InvalidOperationException"/>.
    /// </remarks>
    public PostgresChatHistoryStore WithTransaction(NpgsqlTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return new PostgresChatHistoryStore(this, transaction);
    }

    /// <summary>
    /// Creates or migrates the tables now instead of on first use (for example at application start). Idempotent and
    /// safe to call from several processes at once.
    /// </summary>
    /// <param name="cancellationToken">A token to stop waiting; the migration itself completes for other callers.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        var task = _schemaGate.Get(() => ChatHistoryMigrations.ApplyAsync(_dataSource, _names, CancellationToken.None));
        return task.IsCompletedSuccessfully ? task : task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ChatSessionInfo> CreateAsync(ChatSessionCreateOptions options, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateCreateOptions(options);
        var now = Now();
        var id = options.Id ?? Guid.NewGuid().ToString("N");
        var expiresAt = options.TimeToLive is { } ttl ? now + ttl : options.ExpiresAt;
        expiresAt = expiresAt is { } at ? Truncate(at) : null;
        var metadata = options.Metadata is { Count: > 0 } given ? new Dictionary<string, string>(given, StringComparer.Ordinal) : null;

        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var batch = new NpgsqlBatch(connection, _transaction);
            await using var batchScope = batch.ConfigureAwait(false);
            var replaceExpired = new NpgsqlBatchCommand(_sql.DeleteExpiredWithId);
            replaceExpired.Parameters.Add(Text("id", id));
            replaceExpired.Parameters.Add(Timestamp("now", now));
            var insert = new NpgsqlBatchCommand(_sql.Insert);
            insert.Parameters.Add(Text("id", id));
            insert.Parameters.Add(Text("owner", options.OwnerId));
            insert.Parameters.Add(Text("tenant", options.TenantId));
            insert.Parameters.Add(Text("title", options.Title));
            insert.Parameters.Add(new NpgsqlParameter("metadata", NpgsqlDbType.Json)
            {
                Value = metadata is null ? DBNull.Value : JsonSerializer.Serialize(metadata, ChatHistoryJsonContext.Default.DictionaryStringString),
            });
            insert.Parameters.Add(Timestamp("now", now));
            insert.Parameters.Add(Timestamp("expires", expiresAt));
            batch.BatchCommands.Add(replaceExpired);
            batch.BatchCommands.Add(insert);

            // Sent as one round trip, which PostgreSQL runs as one implicit transaction when the caller has none.
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (insert.RecordsAffected == 0)
            {
                throw ChatSessionAlreadyExistsException.ForSession(id);
            }
        }
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }

        return new ChatSessionInfo
        {
            Id = id,
            OwnerId = options.OwnerId,
            TenantId = options.TenantId,
            Title = options.Title,
            Metadata = metadata ?? new Dictionary<string, string>(),
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = expiresAt,
            Version = 0,
        };
    }

    /// <inheritdoc />
    public bool SupportsEarlierSystemMessages => true;

    /// <inheritdoc />
    public async Task<ChatSession?> GetAsync(string sessionId, ChatHistoryReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        ChatHistoryValidator.ValidateReadOptions(options);

        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _transaction is null
                ? await GetInSnapshotAsync(connection, sessionId, options, cancellationToken).ConfigureAwait(false)
                : await GetInOneStatementAsync(connection, sessionId, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    // The session row and its messages as two statements in one read-only REPEATABLE READ transaction, sent in one
    // round trip: the messages are read in key order (no sort of the whole result) and end at the version read.
    private async Task<ChatSession?> GetInSnapshotAsync(NpgsqlConnection connection, string sessionId, ChatHistoryReadOptions? options, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(connection);
        await using var batchScope = batch.ConfigureAwait(false);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
        var session = new NpgsqlBatchCommand(_sql.GetSession);
        session.Parameters.Add(Text("id", sessionId));
        session.Parameters.Add(Timestamp("now", Now()));
        batch.BatchCommands.Add(session);
        var earlier = WantsEarlierSystemMessages(options);
        if (earlier)
        {
            var earlierMessages = new NpgsqlBatchCommand(_sql.GetEarlierSystemMessages);
            AddReadParameters(earlierMessages.Parameters, sessionId, options);
            batch.BatchCommands.Add(earlierMessages);
        }

        var messages = new NpgsqlBatchCommand(_sql.GetMessages);
        AddReadParameters(messages.Parameters, sessionId, options);
        batch.BatchCommands.Add(messages);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));

        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (reader.FieldCount == 0 && await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
        {
        }

        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var info = ReadInfo(reader);
        var rows = new MessageRows(info, options);
        if (earlier)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await ReadMessagesAsync(reader, rows, sessionId, 0, cancellationToken).ConfigureAwait(false);
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await ReadMessagesAsync(reader, rows, sessionId, 0, cancellationToken).ConfigureAwait(false);
        return rows.ToSession();
    }

    private async Task<ChatSession?> GetInOneStatementAsync(NpgsqlConnection connection, string sessionId, ChatHistoryReadOptions? options, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(_sql.Get, connection, _transaction);
        await using var commandScope = command.ConfigureAwait(false);
        AddReadParameters(command.Parameters, sessionId, options);

        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var rows = new MessageRows(ReadInfo(reader), options);
        await ReadMessagesAsync(reader, rows, sessionId, 9, cancellationToken).ConfigureAwait(false);
        return rows.ToSession();
    }

    private static bool WantsEarlierSystemMessages(ChatHistoryReadOptions? options) =>
        options is { IncludeEarlierSystemMessages: true, MaxMessages: not null };

    private void AddReadParameters(NpgsqlParameterCollection parameters, string sessionId, ChatHistoryReadOptions? options)
    {
        parameters.Add(Text("id", sessionId));
        parameters.Add(Timestamp("now", Now()));
        parameters.Add(new NpgsqlParameter<long>("after", NpgsqlDbType.Bigint) { TypedValue = options?.AfterVersion ?? 0 });
        parameters.Add(new NpgsqlParameter<long>("max", NpgsqlDbType.Bigint) { TypedValue = options?.MaxMessages ?? long.MaxValue });
        parameters.Add(new NpgsqlParameter<bool>("earlier", NpgsqlDbType.Boolean) { TypedValue = WantsEarlierSystemMessages(options) });
    }

    // Reads message rows (sequence, json, protected bytes at `first`, `first + 1`, `first + 2`) to the end of the result.
    // Rows before the window are the earlier candidates for system messages: marked rows, and rows written before the
    // marks existed, of which only the system messages are kept.
    private async Task ReadMessagesAsync(NpgsqlDataReader reader, MessageRows rows, string sessionId, int first, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var sequence = reader.GetInt64(first);
            var message = ReadMessage(reader, first + 1, sessionId, sequence);
            if (sequence > rows.WindowStart)
            {
                rows.FirstSequence = rows.Messages.Count == 0 ? sequence : rows.FirstSequence;
                rows.Messages.Add(message);
            }
            else if (ChatSession.IsSystemMessage(message))
            {
                rows.Earlier.Add(message);
            }
        }
    }

    private sealed class MessageRows(ChatSessionInfo info, ChatHistoryReadOptions? options)
    {
        // The messages of the window have sequences above this; earlier ones at or below it.
        public long WindowStart { get; } = Math.Max(options?.AfterVersion ?? 0, info.Version - (options?.MaxMessages ?? info.Version));

        public List<ChatMessage> Messages { get; } = [];

        public List<ChatMessage> Earlier { get; } = [];

        public long FirstSequence { get; set; }

        public ChatSession ToSession() => new()
        {
            Info = info,
            Messages = Messages,
            FirstSequence = Messages.Count == 0 ? info.Version + 1 : FirstSequence,
            EarlierSystemMessages = Earlier,
        };
    }

    /// <inheritdoc />
    public async Task<long> AppendAsync(string sessionId, IEnumerable<ChatMessage> messages, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        ChatHistoryValidator.ValidateExpectedVersion(expectedVersion);
        var serialized = ChatHistoryValidator.SerializeMessages(messages, _maxMessageBytes, out var systemMessages);
        var pinned = systemMessages.ToArray();

        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = Now();
            if (serialized.Count == 0)
            {
                var version = await ReadVersionAsync(connection, _sql.LiveVersion, null, sessionId, now, cancellationToken).ConfigureAwait(false)
                    ?? throw ChatSessionNotFoundException.ForSession(sessionId);
                return CheckVersion(sessionId, expectedVersion, version);
            }

            var newVersion = _protector is null && serialized.Count < CopyThreshold
                ? await AppendInOneStatementAsync(connection, sessionId, serialized, pinned, expectedVersion, now, cancellationToken).ConfigureAwait(false)
                : await AppendUnderRowLockAsync(connection, sessionId, serialized, pinned, expectedVersion, now, cancellationToken).ConfigureAwait(false);
            LogAppended(sessionId, serialized.Count, newVersion);
            return newVersion;
        }
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatSessionInfo> ListAsync(string ownerId, ChatSessionQuery? query = null, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateOwnerId(ownerId);
        ChatHistoryValidator.ValidateQuery(query);
        return ListCoreAsync(ownerId, query ?? new ChatSessionQuery(), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var command = new NpgsqlCommand(_sql.Delete, connection, _transaction);
            await using var commandScope = command.ConfigureAwait(false);
            command.Parameters.Add(Text("id", sessionId));
            command.Parameters.Add(Timestamp("now", Now()));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
        }
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> SetExpiryAsync(string sessionId, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var command = new NpgsqlCommand(_sql.SetExpiry, connection, _transaction);
            await using var commandScope = command.ConfigureAwait(false);
            command.Parameters.Add(Text("id", sessionId));
            command.Parameters.Add(Timestamp("now", Now()));
            command.Parameters.Add(Timestamp("expires", expiresAt is { } at ? Truncate(at) : null));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = Now();
            var removed = 0;
            int batchRemoved;
            do
            {
                var command = new NpgsqlCommand(_sql.PurgeBatch, connection, _transaction);
                await using var commandScope = command.ConfigureAwait(false);
                command.Parameters.Add(Timestamp("now", now));
                command.Parameters.Add(new NpgsqlParameter<int>("batch", NpgsqlDbType.Integer) { TypedValue = PurgeBatchSize });
                batchRemoved = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                removed += batchRemoved;
            }
            while (batchRemoved == PurgeBatchSize);

            return removed;
        }
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Disposes the data source when the store created it from a connection string.</summary>
    /// <returns>A task that completes when the data source is disposed.</returns>
    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>Disposes the data source when the store created it from a connection string.</summary>
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private async Task<long> AppendInOneStatementAsync(
        NpgsqlConnection connection, string sessionId, IReadOnlyList<byte[]> serialized, bool[] pinned, long? expectedVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(_sql.AppendInOneStatement, connection, _transaction);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(Text("id", sessionId));
            command.Parameters.Add(Timestamp("now", now));
            command.Parameters.Add(new NpgsqlParameter<long>("count", NpgsqlDbType.Bigint) { TypedValue = serialized.Count });
            command.Parameters.Add(new NpgsqlParameter("expected", NpgsqlDbType.Bigint) { Value = expectedVersion is { } expected ? expected : DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter<string[]>("messages", NpgsqlDbType.Array | NpgsqlDbType.Json) { TypedValue = ToStrings(serialized) });
            command.Parameters.Add(Pinned(pinned));
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version)
            {
                return version;
            }
        }

        // Nothing was written: tell a missing or expired session from a version mismatch.
        var current = await ReadVersionAsync(connection, _sql.LiveVersion, null, sessionId, now, cancellationToken).ConfigureAwait(false)
            ?? throw ChatSessionNotFoundException.ForSession(sessionId);
        throw Conflict(sessionId, expectedVersion ?? current, current);
    }

    private async Task<long> AppendUnderRowLockAsync(
        NpgsqlConnection connection, string sessionId, IReadOnlyList<byte[]> serialized, bool[] pinned, long? expectedVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ownTransaction = _transaction is null ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
        var transaction = _transaction ?? ownTransaction!;
        try
        {
            var current = await ReadVersionAsync(connection, _sql.LockLiveVersion, transaction, sessionId, now, cancellationToken).ConfigureAwait(false)
                ?? throw ChatSessionNotFoundException.ForSession(sessionId);
            CheckVersion(sessionId, expectedVersion, current);

            // Protection binds each message to its sequence, which is known only once the row is locked.
            var rows = _protector is null ? null : Protect(serialized, sessionId, current);
            if (serialized.Count >= CopyThreshold)
            {
                await CopyMessagesAsync(connection, sessionId, current, serialized, pinned, rows, now, cancellationToken).ConfigureAwait(false);
            }

            var batch = new NpgsqlBatch(connection, transaction);
            await using (batch.ConfigureAwait(false))
            {
                // Below the COPY threshold only encrypted batches take this path; clear ones append in one statement.
                if (serialized.Count < CopyThreshold)
                {
                    var insert = new NpgsqlBatchCommand(_sql.InsertProtectedMessages);
                    insert.Parameters.Add(Text("id", sessionId));
                    insert.Parameters.Add(new NpgsqlParameter<long>("base", NpgsqlDbType.Bigint) { TypedValue = current });
                    insert.Parameters.Add(Timestamp("now", now));
                    insert.Parameters.Add(new NpgsqlParameter<byte[][]>("messages", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = rows! });
                    insert.Parameters.Add(Pinned(pinned));
                    batch.BatchCommands.Add(insert);
                }

                var setVersion = new NpgsqlBatchCommand(_sql.SetVersion);
                setVersion.Parameters.Add(Text("id", sessionId));
                setVersion.Parameters.Add(new NpgsqlParameter<long>("version", NpgsqlDbType.Bigint) { TypedValue = current + serialized.Count });
                setVersion.Parameters.Add(Timestamp("now", now));
                batch.BatchCommands.Add(setVersion);
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return current + serialized.Count;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task CopyMessagesAsync(
        NpgsqlConnection connection, string sessionId, long current, IReadOnlyList<byte[]> serialized, bool[] pinned, byte[][]? rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var importer = await connection.BeginBinaryImportAsync(_sql.CopyMessages, cancellationToken).ConfigureAwait(false);
        await using var importerScope = importer.ConfigureAwait(false);
        for (var i = 0; i < serialized.Count; i++)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(sessionId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(current + i + 1, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            if (rows is null)
            {
                await importer.WriteAsync(Encoding.UTF8.GetString(serialized[i]), NpgsqlDbType.Json, cancellationToken).ConfigureAwait(false);
                await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(rows[i], NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }

            await importer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(pinned[i], NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<ChatSessionInfo> ListCoreAsync(string ownerId, ChatSessionQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var command = new NpgsqlCommand(_sql.List, connection, _transaction);
            await using var commandScope = command.ConfigureAwait(false);
            command.Parameters.Add(Text("owner", ownerId));
            command.Parameters.Add(Text("tenant", query.TenantId));
            command.Parameters.Add(Timestamp("now", Now()));
            command.Parameters.Add(new NpgsqlParameter<int>("skip", NpgsqlDbType.Integer) { TypedValue = query.Skip });
            command.Parameters.Add(new NpgsqlParameter<int>("take", NpgsqlDbType.Integer) { TypedValue = query.Take });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return ReadInfo(reader);
            }
        }
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    private async Task<long?> ReadVersionAsync(
        NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, string sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction ?? _transaction);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(Text("id", sessionId));
        command.Parameters.Add(Timestamp("now", now));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }

    private async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        if (_transaction is null)
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        return _transaction.Connection ?? throw new InvalidOperationException("The transaction this store view is bound to has completed.");
    }

    private ValueTask ReleaseAsync(NpgsqlConnection connection) => _transaction is null ? connection.DisposeAsync() : ValueTask.CompletedTask;

    private ChatMessage ReadMessage(NpgsqlDataReader reader, int ordinal, string sessionId, long sequence)
    {
        if (!reader.IsDBNull(ordinal))
        {
            // The json column's raw UTF-8 text, deserialized without an intermediate string.
            return ChatMessageSerializer.Deserialize(reader.GetFieldValue<byte[]>(ordinal));
        }

        var protectedBytes = reader.GetFieldValue<byte[]>(ordinal + 1);
        return _protector is null
            ? throw EncryptedWithoutProtector(sessionId, sequence)
            : ChatMessageSerializer.Deserialize(_protector.Unprotect(protectedBytes, sessionId, sequence));
    }

    private static InvalidOperationException EncryptedWithoutProtector(string sessionId, long sequence) => new(
        $"Message {sequence} of chat session '{sessionId}' is encrypted; configure the store's ContentProtector with the key it was written with.");

    private byte[][] Protect(IReadOnlyList<byte[]> serialized, string sessionId, long current)
    {
        var rows = new byte[serialized.Count][];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = _protector!.Protect(serialized[i], sessionId, current + i + 1);
        }

        return rows;
    }

    private static ChatSessionInfo ReadInfo(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        OwnerId = reader.GetString(1),
        TenantId = reader.IsDBNull(2) ? null : reader.GetString(2),
        Title = reader.IsDBNull(3) ? null : reader.GetString(3),
        Metadata = reader.IsDBNull(4)
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize(reader.GetString(4), ChatHistoryJsonContext.Default.DictionaryStringString) ?? [],
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(5),
        UpdatedAt = reader.GetFieldValue<DateTimeOffset>(6),
        ExpiresAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
        Version = reader.GetInt64(8),
    };

    private long CheckVersion(string sessionId, long? expectedVersion, long version)
    {
        if (expectedVersion is { } expected && expected != version)
        {
            throw Conflict(sessionId, expected, version);
        }

        return version;
    }

    private ChatHistoryConcurrencyException Conflict(string sessionId, long expectedVersion, long actualVersion)
    {
        LogConflict(sessionId, expectedVersion, actualVersion);
        return new ChatHistoryConcurrencyException(sessionId, expectedVersion, actualVersion);
    }

    [LoggerMessage(EventId = AiAllinEventIds.ChatHistoryAppended, Level = LogLevel.Debug, Message = "Appended {Count} messages to chat session {SessionId}, now at version {Version}.")]
    private partial void LogAppended(string sessionId, int count, long version);

    [LoggerMessage(EventId = AiAllinEventIds.ChatHistoryConcurrencyConflict, Level = LogLevel.Debug, Message = "Append to chat session {SessionId} expected version {ExpectedVersion} but found {ActualVersion}.")]
    private partial void LogConflict(string sessionId, long expectedVersion, long actualVersion);

    private DateTimeOffset Now() => Truncate(_timeProvider.GetUtcNow());

    // PostgreSQL keeps microseconds; truncating first makes returned values equal the stored ones.
    private static DateTimeOffset Truncate(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    private static string[] ToStrings(IReadOnlyList<byte[]> serialized)
    {
        var strings = new string[serialized.Count];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = Encoding.UTF8.GetString(serialized[i]);
        }

        return strings;
    }

    private static NpgsqlParameter<bool[]> Pinned(bool[] pinned) => new("pinned", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { TypedValue = pinned };

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = value is null ? DBNull.Value : value };

    private static NpgsqlParameter Timestamp(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } at ? at : DBNull.Value };

    private static string ValidateConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return connectionString;
    }

    /// <summary>The one schema migration per store and its transaction views; retried when it failed.</summary>
    private sealed class SchemaGate
    {
        private readonly Lock _lock = new();
        private Task? _task;

        public Task Get(Func<Task> start)
        {
            var task = Volatile.Read(ref _task);
            if (task is { IsCompletedSuccessfully: true })
            {
                return task;
            }

            lock (_lock)
            {
                if (_task is null || _task.IsFaulted || _task.IsCanceled)
                {
                    _task = start();
                }

                return _task;
            }
        }
    }
}
