using Npgsql;
using NpgsqlTypes;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// Writes a collection's rows: a batch locks its keys, deletes them and writes every row by binary <c>COPY</c>, inside the
/// caller's transaction, so a batch lands whole or not at all.
/// </summary>
internal sealed class PostgresBatchWriter
{
    /// <summary>Batches with more distinct keys than this lock the whole collection instead of each key.</summary>
    private const int MaxKeyLocks = 64;

    private readonly string _table;
    private readonly PostgresColumn _key;
    private readonly PostgresColumn[] _columns;
    private readonly PostgresSchema _schema;
    private readonly string _copy;

    /// <param name="table">The quoted, schema-qualified table.</param>
    /// <param name="columns">The key column, then the data and vector columns, in row order.</param>
    /// <param name="schema">The table's schema (lock id, expiry column).</param>
    public PostgresBatchWriter(string table, IReadOnlyList<PostgresColumn> columns, PostgresSchema schema)
    {
        _table = table;
        _columns = [.. columns];
        _key = _columns[0];
        _schema = schema;
        var names = string.Join(", ", _columns.Select(c => c.Quoted)) + (schema.Expires ? ", " + PostgresSchema.ExpiresAt : string.Empty);
        _copy = $"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)";
    }

    public async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Array keys, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand($"DELETE FROM {_table} WHERE {_key.Quoted} = ANY($1)", connection, transaction);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | _key.DbType });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Locks the batch's keys, deletes them and writes the rows by binary COPY, inside <paramref name="transaction"/>.</summary>
    public async Task WriteAsync<TRecord>(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresWriteBatch<TRecord> batch, CancellationToken cancellationToken)
        where TRecord : class
    {
        var prelude = new NpgsqlBatch(connection, transaction);
        await using (prelude.ConfigureAwait(false))
        {
            // Small batches lock their keys (sorted, so overlapping writers never deadlock) under a shared collection lock;
            // large batches take the collection lock exclusively: one lock instead of thousands of lock-table entries.
            var hashes = batch.KeyHashes();
            var collectionLock = new NpgsqlBatchCommand(
                hashes.Length <= MaxKeyLocks ? "SELECT pg_advisory_xact_lock_shared($1, $2)" : "SELECT pg_advisory_xact_lock($1, $2)");
            collectionLock.Parameters.Add(new NpgsqlParameter { Value = PostgresSchema.LockClass, NpgsqlDbType = NpgsqlDbType.Integer });
            collectionLock.Parameters.Add(new NpgsqlParameter { Value = _schema.LockId, NpgsqlDbType = NpgsqlDbType.Integer });
            prelude.BatchCommands.Add(collectionLock);
            if (hashes.Length <= MaxKeyLocks)
            {
                var keyLocks = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1, h) FROM unnest($2::int4[]) AS h");
                keyLocks.Parameters.Add(new NpgsqlParameter { Value = _schema.LockId, NpgsqlDbType = NpgsqlDbType.Integer });
                keyLocks.Parameters.Add(new NpgsqlParameter { Value = hashes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
                prelude.BatchCommands.Add(keyLocks);
            }

            var deleteCommand = new NpgsqlBatchCommand($"DELETE FROM {_table} WHERE {_key.Quoted} = ANY($1)");
            deleteCommand.Parameters.Add(new NpgsqlParameter { Value = batch.Keys(_key.Property.Type), NpgsqlDbType = NpgsqlDbType.Array | _key.DbType });
            prelude.BatchCommands.Add(deleteCommand);
            await prelude.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

                var importer = await connection.BeginBinaryImportAsync(_copy, cancellationToken).ConfigureAwait(false);
        await using var importerScope = importer.ConfigureAwait(false);
        foreach (var row in batch.Rows)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            for (var c = 0; c < _columns.Length; c++)
            {
                if (row[c] is { } value)
                {
                    await _columns[c].WriteAsync(importer, value, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (_schema.Expires)
            {
                if (row[^1] is DateTime expiresAt)
                {
                    await importer.WriteAsync(expiresAt, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
