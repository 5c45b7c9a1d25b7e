using System.Globalization;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// Builds and drops a collection's declared indexes outside <c>EnsureCollectionExistsAsync</c>'s transaction, so a build
/// can run <c>CONCURRENTLY</c>, with its own memory and worker settings, without a command timeout, and report progress.
/// </summary>
internal sealed class PostgresIndexBuilder(NpgsqlDataSource dataSource, PostgresSchema schema, string schemaName, string name)
{
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(200);

    // Index builders of one collection take turns on this lock. It is taken by polling pg_try_advisory_lock: a session
    // blocked inside the server on an advisory lock holds a snapshot that a concurrent build's wait for old snapshots
    // would wait on in turn, a deadlock.
    private readonly int _lockId = PostgresNames.StableHash(schemaName + "." + name + "/indexes");

    public async Task<IReadOnlyList<string>> BuildAsync(PostgresIndexBuildOptions options, IProgress<PostgresIndexBuildProgress>? progress, CancellationToken cancellationToken)
    {
        options.Validate();
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        await LockAsync(connection, cancellationToken).ConfigureAwait(false);
        try
        {
            await ApplySettingsAsync(connection, options, cancellationToken).ConfigureAwait(false);
            var built = new List<string>();
            foreach (var column in schema.IndexableColumns.Where(c => !options.VectorIndexesOnly || c.IsVector))
            {
                var rows = PostgresSchema.IsIvfFlat(column) ? await schema.CountVectorsAsync(connection, null, column, cancellationToken).ConfigureAwait(false) : 0;
                if (rows == 0 && PostgresSchema.IsIvfFlat(column))
                {
                    throw new InvalidOperationException(
                        $"The IVFFlat index of vector property '{column.Property.ModelName}' in collection '{name}' trains its lists on the rows present, and the " +
                        "collection has no vectors yet: an index built now would answer searches with nothing. Load the data, then build the index.");
                }

                foreach (var (indexName, statement) in schema.Indexes(column, rows))
                {
                    if (await BuildOneAsync(connection, indexName, statement, options, progress, cancellationToken).ConfigureAwait(false))
                    {
                        built.Add(indexName);
                    }
                }
            }

            return built;
        }
        finally
        {
            await UnlockAsync(connection).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<string>> DropAsync(bool concurrently, bool vectorIndexesOnly, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        await LockAsync(connection, cancellationToken).ConfigureAwait(false);
        try
        {
            var dropped = new List<string>();
            foreach (var column in schema.IndexableColumns.Where(c => !vectorIndexesOnly || c.IsVector))
            {
                // Every index the column can have, whatever the row count: an IVFFlat index is declared even while unbuilt.
                foreach (var (indexName, _) in schema.Indexes(column, vectorRows: 1))
                {
                    var qualified = PostgresNames.Qualified(schemaName, indexName);
                    if (await ValidityAsync(connection, qualified, cancellationToken).ConfigureAwait(false) is not null)
                    {
                        await ExecuteAsync(connection, $"DROP INDEX {(concurrently ? "CONCURRENTLY " : string.Empty)}IF EXISTS {qualified}", cancellationToken).ConfigureAwait(false);
                        dropped.Add(indexName);
                    }
                }
            }

            return dropped;
        }
        finally
        {
            await UnlockAsync(connection).ConfigureAwait(false);
        }
    }

    private async Task<bool> BuildOneAsync(
        NpgsqlConnection connection, string indexName, string statement, PostgresIndexBuildOptions options, IProgress<PostgresIndexBuildProgress>? progress, CancellationToken cancellationToken)
    {
        var qualified = PostgresNames.Qualified(schemaName, indexName);
        var valid = await ValidityAsync(connection, qualified, cancellationToken).ConfigureAwait(false);
        if (valid is true && !options.Rebuild)
        {
            return false;
        }

        // An invalid index is what an interrupted concurrent build leaves: it is maintained on writes but never used.
        if (valid is not null)
        {
            await ExecuteAsync(connection, $"DROP INDEX {(options.Concurrently ? "CONCURRENTLY " : string.Empty)}IF EXISTS {qualified}", cancellationToken).ConfigureAwait(false);
        }

        var create = options.Concurrently ? "CREATE INDEX CONCURRENTLY " + statement["CREATE INDEX ".Length..] : statement;
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var monitor = progress is null ? Task.CompletedTask : MonitorAsync(connection.ProcessID, indexName, options.ProgressInterval, progress, polling.Token);
        try
        {
            await ExecuteAsync(connection, create, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await polling.CancelAsync().ConfigureAwait(false);
            await monitor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        progress?.Report(new PostgresIndexBuildProgress(indexName, "done", 0, 0, 0, 0));
        return true;
    }

    private async Task MonitorAsync(int pid, string indexName, TimeSpan interval, IProgress<PostgresIndexBuildProgress> progress, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand(
            "SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total FROM pg_catalog.pg_stat_progress_create_index WHERE pid = $1", connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = pid });
        using var timer = new PeriodicTimer(interval);
        do
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    progress.Report(new PostgresIndexBuildProgress(indexName, reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
                }
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private static async Task ApplySettingsAsync(NpgsqlConnection connection, PostgresIndexBuildOptions options, CancellationToken cancellationToken)
    {
        // Session settings on a pooled connection: Npgsql resets the session (DISCARD ALL) when it goes back to the pool.
        if (options.MaintenanceWorkMem is { } memory)
        {
            await ExecuteAsync(connection, "SELECT set_config('maintenance_work_mem', $1, false)", cancellationToken, memory).ConfigureAwait(false);
        }

        if (options.ParallelWorkers is { } workers)
        {
            await ExecuteAsync(
                connection, "SELECT set_config('max_parallel_maintenance_workers', $1, false)", cancellationToken, workers.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }
    }

    private static async Task<bool?> ValidityAsync(NpgsqlConnection connection, string qualifiedIndex, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("SELECT indisvalid FROM pg_catalog.pg_index WHERE indexrelid = to_regclass($1)", connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = qualifiedIndex });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as bool?;
    }

    private async Task LockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = PostgresSchema.LockClass });
        command.Parameters.Add(new NpgsqlParameter { Value = _lockId });
        while (!(bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            await Task.Delay(LockPoll, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task UnlockAsync(NpgsqlConnection connection)
    {
        // A broken connection has released the lock with its session already.
        if (connection.FullState.HasFlag(System.Data.ConnectionState.Open))
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1, $2)", CancellationToken.None, PostgresSchema.LockClass, _lockId).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        // No command timeout: a large index build takes as long as it takes; the caller's token cancels it.
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddRange(values.Select(v => new NpgsqlParameter { Value = v }).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
