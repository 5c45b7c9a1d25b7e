using System.Globalization;
using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// Re-embeds a vector column in one transaction: the column is retyped, every record is read through a cursor, embedded
/// in batches and copied into a temporary table, then written back in one <c>UPDATE</c>; the index and the migrations
/// entry follow. A failure anywhere rolls all of it back.
/// </summary>
/// <typeparam name="TRecord">The record type.</typeparam>
internal sealed class PostgresReembedder<TRecord>
    where TRecord : class
{
    /// <summary>Records read, and texts sent to the embedding generator, per round.</summary>
    private const int BatchSize = 256;

    private const string Cursor = "__aiallin_reembed_cursor";

    private const string Table = "__aiallin_reembed";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _table;
    private readonly PostgresColumn _key;
    private readonly PostgresSchema _schema;
    private readonly string _selectWithoutVectors;
    private readonly Func<NpgsqlDataReader, TRecord> _materialize;

    public PostgresReembedder(
        NpgsqlDataSource dataSource, string table, PostgresColumn key, PostgresSchema schema, string selectWithoutVectors, Func<NpgsqlDataReader, TRecord> materialize)
    {
        _dataSource = dataSource;
        _table = table;
        _key = key;
        _schema = schema;
        _selectWithoutVectors = selectWithoutVectors;
        _materialize = materialize;
    }

    /// <summary>Re-embeds <paramref name="column"/> from the text <paramref name="source"/> gives per record.</summary>
    /// <returns>The number of records that received a vector.</returns>
    public async Task<int> ReembedAsync(VectorPropertyModel property, PostgresColumn column, Func<TRecord, string?> source, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        await _schema.BeginReembedAsync(connection, transaction, column, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection, transaction,
            $"CREATE TEMP TABLE {Table} (k {_key.SqlType} NOT NULL, v {column.SqlType} NOT NULL) ON COMMIT DROP; " +
            $"DECLARE {Cursor} NO SCROLL CURSOR FOR SELECT {_selectWithoutVectors} FROM {_table}",
            cancellationToken).ConfigureAwait(false);

        var embedded = 0;
        while (true)
        {
            var records = await FetchAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (records.Count == 0)
            {
                break;
            }

            foreach (var record in records)
            {
                property.SetValueAsObject(record, source(record));
            }

            var embeddings = await VectorStoreRecords.GenerateEmbeddingsAsync(property, records, cancellationToken).ConfigureAwait(false);
            var importer = await connection.BeginBinaryImportAsync($"COPY {Table} (k, v) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            await using (importer.ConfigureAwait(false))
            {
                for (var i = 0; i < records.Count; i++)
                {
                    if (embeddings[i] is { } embedding)
                    {
                        var key = _key.Property.GetValueAsObject(records[i])!;
                        await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                        await _key.WriteAsync(importer, key, cancellationToken).ConfigureAwait(false);
                        await column.WriteAsync(importer, PostgresVectorCodec.EncodeVector(column, embedding, key), cancellationToken).ConfigureAwait(false);
                        embedded++;
                    }
                }

                await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await ExecuteAsync(
            connection, transaction,
            $"CLOSE {Cursor}; UPDATE {_table} AS t SET {column.Quoted} = r.v FROM {Table} AS r WHERE t.{_key.Quoted} = r.k",
            cancellationToken).ConfigureAwait(false);
        await _schema.EndReembedAsync(connection, transaction, column, embedded, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return embedded;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using var commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<TRecord>> FetchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(
            $"FETCH {BatchSize.ToString(CultureInfo.InvariantCulture)} FROM {Cursor}", connection, transaction) { CommandTimeout = 0 };
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var records = new List<TRecord>(BatchSize);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(_materialize(reader));
        }

        return records;
    }
}
