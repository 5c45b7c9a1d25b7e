using AiAllin.SK.Testing.Servers;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres.Tests;

/// <summary>A fresh schema and a store on it, for one test; dropped on dispose.</summary>
internal sealed class PostgresFixture : IAsyncDisposable
{
    private PostgresFixture(PostgresServer server, NpgsqlDataSource dataSource, PostgresVectorStore store)
    {
        Server = server;
        DataSource = dataSource;
        Store = store;
    }

    public PostgresServer Server { get; }

    public NpgsqlDataSource DataSource { get; }

    public PostgresVectorStore Store { get; }

    public string Schema => Server.Schema;

    /// <summary>Creates the schema and a store on it; <paramref name="singleConnection"/> pools one connection, so every command runs on one server backend.</summary>
    public static async Task<PostgresFixture> CreateAsync(string prefix, string? applicationName = null, bool singleConnection = false)
    {
        var server = await PostgresServer.CreateAsync(prefix);
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { ApplicationName = applicationName ?? "aiallin-tests" };
        if (singleConnection)
        {
            builder.MaxPoolSize = 1;
        }

        var connectionString = builder.ConnectionString;
        var dataSource = PostgresVectorStore.CreateDataSource(connectionString);
        return new PostgresFixture(server, dataSource, new PostgresVectorStore(dataSource, new PostgresVectorStoreOptions { Schema = server.Schema }));
    }

    public async Task<PostgresCollection<long, Article>> ArticlesAsync(string name = "articles", PostgresCollectionOptions? options = null)
    {
        var collection = options is null ? Store.GetCollection<long, Article>(name) : Store.GetCollection<long, Article>(name, options);
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    public async Task<long> CountAsync(string table)
    {
        await using var command = DataSource.CreateCommand($"SELECT count(*) FROM \"{Schema}\".\"{table}\"");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The definition of this schema's index using <paramref name="accessMethod"/>. Reads pg_class by schema first, since
    /// pg_indexes would render the definitions of other tests' indexes, which may be dropped meanwhile.
    /// </summary>
    public async Task<string?> IndexDefinitionAsync(string accessMethod)
    {
        await using var command = DataSource.CreateCommand(
            """
            SELECT pg_get_indexdef(c.oid) FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam
            WHERE n.nspname = $1 AND c.relkind = 'i' AND a.amname = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Schema });
        command.Parameters.Add(new NpgsqlParameter { Value = accessMethod });
        return (string?)await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// How many scans have used the index <paramref name="indexName"/> of this schema so far. The count comes from the
    /// cumulative statistics, which a backend publishes when it goes idle: on a <c>singleConnection</c> fixture the
    /// backend that ran the searches is told to publish at once, so the count includes them.
    /// </summary>
    public async Task<long> IndexScansAsync(string indexName)
    {
        await using (var flush = DataSource.CreateCommand("SELECT pg_stat_force_next_flush()"))
        {
            await flush.ExecuteNonQueryAsync();
        }

        await using var command = DataSource.CreateCommand("SELECT coalesce(idx_scan, 0) FROM pg_stat_all_indexes WHERE indexrelid = to_regclass($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = $"\"{Schema}\".\"{indexName}\"" });
        return (long)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No index {indexName} in schema {Schema}."));
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await DataSource.DisposeAsync();
        await Server.DisposeAsync();
    }
}
