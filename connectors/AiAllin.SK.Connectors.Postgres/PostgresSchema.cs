using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// The DDL of one collection and its versioned migrations. Every schema change runs in one transaction under an advisory
/// lock of the schema, and is recorded in <c>__aiallin_migrations</c> (collection, version, description, time).
/// </summary>
internal sealed class PostgresSchema(
    string schema,
    string name,
    PostgresColumn key,
    IReadOnlyList<PostgresColumn> data,
    IReadOnlyList<PostgresColumn> vectors,
    PostgresCollectionOptions options,
    bool expires)
{
    public const string MigrationsTable = "__aiallin_migrations";

    /// <summary>The hidden expiry column of collections with a time to live; reads skip rows whose moment has passed.</summary>
    public const string ExpiresAtName = "__expires_at";

    public static readonly string ExpiresAt = PostgresNames.Quote(ExpiresAtName);

    private const int PurgeSlice = 10_000;

    private const string ModelCommentPrefix = "embedding model: ";

    /// <summary>The first argument of every advisory lock the store takes, so its locks never meet an application's.</summary>
    public const int LockClass = 0x41_69_41_6C;

    private readonly string _table = PostgresNames.Qualified(schema, name);

    /// <summary>The advisory-lock id of this collection's keys (the second lock argument is the key's hash).</summary>
    public int LockId { get; } = PostgresNames.StableHash(schema + "." + name);

    public bool Expires => expires;

    public static async Task<long> PurgeExpiredAsync(NpgsqlDataSource dataSource, string schema, string name, CancellationToken cancellationToken)
    {
        var table = PostgresNames.Qualified(schema, name);
        long total = 0;
        while (true)
        {
            var command = dataSource.CreateCommand(
                $"DELETE FROM {table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {table} WHERE {ExpiresAt} <= now() LIMIT {PurgeSlice}))");
            await using var commandScope = command.ConfigureAwait(false);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < PurgeSlice)
            {
                return total;
            }
        }
    }

    /// <summary>The tables of <paramref name="schema"/> that have an expiry column.</summary>
    public static async Task<List<string>> ExpiringTablesAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = $1 AND column_name = $2 ORDER BY table_name");
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        command.Parameters.Add(new NpgsqlParameter { Value = ExpiresAtName });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var tables = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    public static async Task<bool> ExistsAsync(NpgsqlDataSource dataSource, string schema, string name, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = $2)");
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public static async Task DropAsync(NpgsqlDataSource dataSource, string schema, string name, CancellationToken cancellationToken)
    {
        PostgresNames.ValidateObjectName(schema, nameof(schema));
        PostgresNames.ValidateObjectName(name, nameof(name));
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {PostgresNames.Qualified(schema, name)}", connection, transaction);
        await using (drop.ConfigureAwait(false))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var migrations = PostgresNames.Qualified(schema, MigrationsTable);
        if (await ScalarAsync<bool>(connection, transaction, "SELECT to_regclass($1) IS NOT NULL", cancellationToken, migrations).ConfigureAwait(false))
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM {migrations} WHERE collection = $1", cancellationToken, name).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);

        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1, $2)", cancellationToken, LockClass, PostgresNames.StableHash(schema)).ConfigureAwait(false);
        if (!await ScalarAsync<bool>(connection, transaction, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector')", cancellationToken).ConfigureAwait(false))
        {
            await ExecuteAsync(connection, transaction, "CREATE EXTENSION IF NOT EXISTS vector", cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {PostgresNames.Quote(schema)}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"""
            CREATE TABLE IF NOT EXISTS {PostgresNames.Qualified(schema, MigrationsTable)} (
                collection text NOT NULL, version integer NOT NULL, description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (collection, version))
            """, cancellationToken).ConfigureAwait(false);

        // Index builds over existing rows can take long; they must not hit the 30 s default command timeout.
        await ExecuteAsync(connection, transaction, "SELECT set_config('maintenance_work_mem', '512MB', true)", cancellationToken).ConfigureAwait(false);

        var existing = await ColumnsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var migrations = new List<(string Description, List<string> Statements)>();
        if (existing.Count == 0)
        {
            migrations.Add(($"create collection with columns {string.Join(", ", AllColumns().Select(c => $"{c.Name} {c.SqlType}"))}{(expires ? ", " + ExpiresAtName + " timestamptz" : string.Empty)}", CreateStatements()));
        }
        else
        {
            Compare(existing, key);
            foreach (var column in data.Concat(vectors))
            {
                if (existing.ContainsKey(column.Name))
                {
                    Compare(existing, column);
                    if (ModelOf(column) is { } model && existing[column.Name].Comment is null)
                    {
                        migrations.Add(($"record embedding model {model} of {column.Name}", [ModelComment(column, model)]));
                    }
                }
                else
                {
                    migrations.Add(($"add column {column.Name} {column.SqlType}", AddColumnStatements(column)));
                }
            }

            // A declared index that is missing (never built, or dropped, say for a bulk load) is built now; the schema lock
            // taken above serialises concurrent callers, so each index is created once.
            foreach (var column in data.Concat(vectors).Where(c => existing.ContainsKey(c.Name)))
            {
                var rows = IsIvfFlat(column) ? await CountVectorsAsync(connection, transaction, column, cancellationToken).ConfigureAwait(false) : 0;
                foreach (var (indexName, statement) in Indexes(column, rows))
                {
                    if (!await ScalarAsync<bool>(
                        connection, transaction, "SELECT to_regclass($1) IS NOT NULL", cancellationToken, PostgresNames.Qualified(schema, indexName)).ConfigureAwait(false))
                    {
                        migrations.Add(($"create missing index {indexName}", [statement]));
                    }
                }
            }

            if (expires && !existing.ContainsKey(ExpiresAtName))
            {
                migrations.Add(($"add column {ExpiresAtName} timestamptz", [$"ALTER TABLE {_table} ADD COLUMN {ExpiresAt} timestamptz", ExpiryIndex()]));
            }
        }

        if (migrations.Count > 0)
        {
            var version = await ScalarAsync<int>(
                connection, transaction, $"SELECT coalesce(max(version), 0) FROM {PostgresNames.Qualified(schema, MigrationsTable)} WHERE collection = $1",
                cancellationToken, name).ConfigureAwait(false);
            foreach (var (description, statements) in migrations)
            {
                foreach (var statement in statements)
                {
                    await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
                }

                await ExecuteAsync(
                    connection, transaction, $"INSERT INTO {PostgresNames.Qualified(schema, MigrationsTable)} (collection, version, description) VALUES ($1, $2, $3)",
                    cancellationToken, name, ++version, description).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first half of a re-embedding, inside the caller's transaction: takes the schema and collection locks (writers
    /// wait), deletes the expired rows, drops the vector index and retypes the column to the model's type, emptied.
    /// </summary>
    public async Task BeginReembedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresColumn column, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1, $2)", cancellationToken, LockClass, PostgresNames.StableHash(schema)).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1, $2)", cancellationToken, LockClass, LockId).ConfigureAwait(false);
        var existing = await ColumnsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            throw new InvalidOperationException($"The collection '{name}' does not exist; there is nothing to re-embed.");
        }

        if (!existing.ContainsKey(column.Name))
        {
            throw new InvalidOperationException(
                $"The collection '{name}' has no column '{column.Name}' for vector property '{column.Property.ModelName}'; run EnsureCollectionExistsAsync to add it.");
        }

        await ExecuteAsync(connection, transaction, "SELECT set_config('maintenance_work_mem', '512MB', true)", cancellationToken).ConfigureAwait(false);
        if (expires)
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM {_table} WHERE {ExpiresAt} <= now()", cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, $"DROP INDEX IF EXISTS {PostgresNames.Qualified(schema, IndexName(column))}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"ALTER TABLE {_table} ALTER COLUMN {column.Quoted} TYPE {column.SqlType} USING NULL", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The second half of a re-embedding, once the new vectors are written: rebuilds the vector index with the collection's
    /// settings, records the generator's model on the column and the change in the migrations table.
    /// </summary>
    public async Task EndReembedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresColumn column, int rows, CancellationToken cancellationToken)
    {
        foreach (var (_, statement) in Indexes(column, rows))
        {
            await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
        }

        var model = ModelOf(column);
        await ExecuteAsync(
            connection, transaction, model is null ? $"COMMENT ON COLUMN {_table}.{column.Quoted} IS NULL" : ModelComment(column, model), cancellationToken).ConfigureAwait(false);
        var migrations = PostgresNames.Qualified(schema, MigrationsTable);
        await ExecuteAsync(
            connection, transaction, $"INSERT INTO {migrations} (collection, version, description) SELECT $1, coalesce(max(version), 0) + 1, $2 FROM {migrations} WHERE collection = $1",
            cancellationToken, name, $"re-embed {column.Name} as {column.SqlType}{(model is null ? string.Empty : " with model " + model)} ({rows.ToString(CultureInfo.InvariantCulture)} records)").ConfigureAwait(false);
    }

    private IEnumerable<PostgresColumn> AllColumns() => new[] { key }.Concat(data).Concat(vectors);

    private void Compare(Dictionary<string, (string Type, string? Comment)> existing, PostgresColumn column)
    {
        if (!existing.TryGetValue(column.Name, out var stored))
        {
            throw Mismatch($"the table has no column '{column.Name}' for the key property '{column.Property.ModelName}'");
        }

        var type = stored.Type;
        if (ModelOf(column) is { } model && stored.Comment is { } comment && comment.StartsWith(ModelCommentPrefix, StringComparison.Ordinal)
            && !string.Equals(comment[ModelCommentPrefix.Length..], model, StringComparison.Ordinal))
        {
            throw Mismatch(
                $"vector property '{column.Property.ModelName}' was embedded with model '{comment[ModelCommentPrefix.Length..]}' but the collection is " +
                $"configured with '{model}'. Vectors of two models are not comparable: re-embed the records with ReembedAsync (or into a new collection)");
        }

        var expected = column.SqlType switch
        {
            "timestamptz" => "timestamp with time zone",
            "timestamptz[]" => "timestamp with time zone[]",
            "time" => "time without time zone",
            "time[]" => "time without time zone[]",
            var other => other,
        };
        if (!string.Equals(type, expected, StringComparison.Ordinal))
        {
            throw Mismatch(column.IsVector
                ? $"vector property '{column.Property.ModelName}' is stored as {type} but the model declares {expected}. A change of dimensions or embedding model " +
                  "needs the vectors re-embedded: call ReembedAsync with the records' text, or upsert them into a new collection"
                : $"property '{column.Property.ModelName}' is stored as {type} but the model declares {expected}");
        }
    }

    private VectorStoreException Mismatch(string reason)
        => new($"The collection '{name}' exists with another schema: {reason}.")
        {
            VectorStoreSystemName = PostgresVectorStore.SystemName,
            CollectionName = name,
            OperationName = "EnsureCollectionExists",
        };

    /// <summary>The model id of the embedding generator of a vector property, when its metadata names one.</summary>
    private static string? ModelOf(PostgresColumn column)
        => (column.Property as VectorPropertyModel)?.EmbeddingGenerator?.GetService(typeof(EmbeddingGeneratorMetadata)) is EmbeddingGeneratorMetadata metadata
            ? metadata.DefaultModelId
            : null;

    // COMMENT takes no parameters; the model id is a string literal with its quotes doubled (standard_conforming_strings).
    private string ModelComment(PostgresColumn column, string model)
        => $"COMMENT ON COLUMN {_table}.{column.Quoted} IS '{(ModelCommentPrefix + model).Replace("'", "''", StringComparison.Ordinal)}'";

    private async Task<Dictionary<string, (string Type, string? Comment)>> ColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(
            """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), col_description(a.attrelid, a.attnum) FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
            """,
            connection,
            transaction);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        var columns = new Dictionary<string, (string, string?)>(StringComparer.Ordinal);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns[reader.GetString(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        }

        return columns;
    }

    private List<string> CreateStatements()
    {
        var definitions = new List<string> { $"{key.Quoted} {key.SqlType} PRIMARY KEY" };
        definitions.AddRange(data.Concat(vectors).Select(c => $"{c.Quoted} {c.SqlType}"));
        definitions.AddRange(data.Where(c => c.TsVectorColumn is not null).Select(TsVectorDefinition));
        if (expires)
        {
            definitions.Add($"{ExpiresAt} timestamptz");
        }

        var statements = new List<string> { $"CREATE TABLE {_table} ({string.Join(", ", definitions)})" };
        statements.AddRange(data.Concat(vectors).SelectMany(c => Indexes(c, vectorRows: 0)).Select(i => i.Statement));
        statements.AddRange(vectors.Where(c => ModelOf(c) is not null).Select(c => ModelComment(c, ModelOf(c)!)));
        if (expires)
        {
            statements.Add(ExpiryIndex());
        }

        return statements;
    }

    private List<string> AddColumnStatements(PostgresColumn column)
    {
        var statements = new List<string> { $"ALTER TABLE {_table} ADD COLUMN {column.Quoted} {column.SqlType}" };
        if (column.TsVectorColumn is not null)
        {
            statements.Add($"ALTER TABLE {_table} ADD COLUMN {TsVectorDefinition(column)}");
        }

        statements.AddRange(Indexes(column, vectorRows: 0).Select(i => i.Statement));
        if (ModelOf(column) is { } model)
        {
            statements.Add(ModelComment(column, model));
        }

        return statements;
    }

    private string ExpiryIndex()
        => $"CREATE INDEX {PostgresNames.Quote(PostgresNames.Derived(name, "expires_idx"))} ON {_table} ({ExpiresAt}) WHERE {ExpiresAt} IS NOT NULL";

    private string TsVectorDefinition(PostgresColumn column)
        => $"{PostgresNames.Quote(column.TsVectorColumn!)} tsvector GENERATED ALWAYS AS " +
           $"(to_tsvector('{options.TextSearchConfiguration}'::regconfig, coalesce({column.Quoted}, ''))) STORED";

    // A quantized index has its own name, so a change of quantization builds the new index instead of keeping the old one.
    private string IndexName(PostgresColumn column) => PostgresNames.Derived(name, column.Name + column.Quantization switch
    {
        PostgresVectorQuantization.HalfPrecision => "_hv_idx",
        PostgresVectorQuantization.Binary => "_bq_idx",
        _ => "_idx",
    });

    /// <summary>The schema-qualified, quoted name of the index declared on <paramref name="column"/>, as <c>to_regclass</c> reads it.</summary>
    public string QualifiedIndexName(PostgresColumn column) => PostgresNames.Qualified(schema, IndexName(column));

    /// <summary>Whether <paramref name="column"/> is a vector column with an IVFFlat index.</summary>
    public static bool IsIvfFlat(PostgresColumn column)
        => column.Property is VectorPropertyModel vector && PostgresIndexes.IndexKindOf(vector) == IndexKind.IvfFlat;

    /// <summary>The columns that may carry an index, data columns first.</summary>
    public IEnumerable<PostgresColumn> IndexableColumns => data.Concat(vectors);

    /// <summary>The number of rows with a vector in <paramref name="column"/>: what an IVFFlat index trains on.</summary>
    public async Task<long> CountVectorsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, PostgresColumn column, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand($"SELECT count(*) FROM {_table} WHERE {column.Quoted} IS NOT NULL", connection, transaction) { CommandTimeout = 0 };
        await using var commandScope = command.ConfigureAwait(false);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// The indexes the model declares on <paramref name="column"/>: their (unquoted) names and creation statements, each
    /// starting with <c>CREATE INDEX </c>. An IVFFlat index is left out while <paramref name="vectorRows"/> is 0: pgvector
    /// trains its lists on the rows present, and one built on an empty table answers searches with nothing.
    /// </summary>
    public IEnumerable<(string Name, string Statement)> Indexes(PostgresColumn column, long vectorRows)
    {
        var columnIndex = IndexName(column);
        var indexName = PostgresNames.Quote(columnIndex);
        switch (column.Property)
        {
            case VectorPropertyModel vector:
            {
                var kind = PostgresIndexes.IndexKindOf(vector);
                var (expression, operatorClass) = PostgresIndexes.IndexedExpression(column);
                if (kind == IndexKind.Hnsw)
                {
                    yield return (columnIndex, $"CREATE INDEX {indexName} ON {_table} USING hnsw ({expression} {operatorClass}) " +
                        $"WITH (m = {options.HnswM.ToString(CultureInfo.InvariantCulture)}, ef_construction = {options.HnswEfConstruction.ToString(CultureInfo.InvariantCulture)})");
                }
                else if (kind == IndexKind.IvfFlat && vectorRows > 0)
                {
                    var lists = options.IvfFlatLists ?? PostgresIndexes.DefaultIvfFlatLists(vectorRows);
                    yield return (columnIndex, $"CREATE INDEX {indexName} ON {_table} USING ivfflat ({expression} {operatorClass}) " +
                        $"WITH (lists = {lists.ToString(CultureInfo.InvariantCulture)})");
                }

                break;
            }

            case DataPropertyModel { IsIndexed: true } when column.SqlType.EndsWith("[]", StringComparison.Ordinal):
                yield return (columnIndex, $"CREATE INDEX {indexName} ON {_table} USING gin ({column.Quoted})");
                break;

            case DataPropertyModel { IsIndexed: true } when column.SqlType != "bytea":
                yield return (columnIndex, $"CREATE INDEX {indexName} ON {_table} ({column.Quoted})");
                break;
        }

        if (column.TsVectorColumn is { } tsv)
        {
            var tsvIndex = PostgresNames.Derived(name, tsv + "_idx");
            yield return (tsvIndex, $"CREATE INDEX {PostgresNames.Quote(tsvIndex)} ON {_table} USING gin ({PostgresNames.Quote(tsv)})");
        }
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddRange(values.Select(v => new NpgsqlParameter { Value = v }).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ScalarAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddRange(values.Select(v => new NpgsqlParameter { Value = v }).ToArray());
        return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
