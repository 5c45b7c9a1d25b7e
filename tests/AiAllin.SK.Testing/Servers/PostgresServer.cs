using System.Security.Cryptography;
using Npgsql;

namespace AiAllin.SK.Testing.Servers;

/// <summary>
/// The test PostgreSQL server: its connection string and fresh, uniquely named schemas, so that tests and test
/// projects run in parallel without seeing each other's tables. Dispose drops the schema.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly NpgsqlDataSource _admin;

    private PostgresServer(string connectionString, string schema)
    {
        ConnectionString = connectionString;
        Schema = schema;
        _admin = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The server's connection string (from <c>AIALLIN_POSTGRES_URL</c>).</summary>
    public string ConnectionString { get; }

    /// <summary>A schema created for this instance only (lowercase letters, digits and underscores).</summary>
    public string Schema { get; }

    /// <summary>Creates a fresh schema named <c>t_&lt;prefix&gt;_&lt;random&gt;</c> on the test server.</summary>
    public static async Task<PostgresServer> CreateAsync(string prefix = "test")
    {
        // Many test assemblies share two cores in CI; bulk tests can then outlast Npgsql's 30 s default command
        // timeout. The tests check results, not speed, so give every command more room.
        var builder = new NpgsqlConnectionStringBuilder(TestServers.Require(TestServers.PostgresVariable));
        builder.CommandTimeout = Math.Max(builder.CommandTimeout, 300);
        var connectionString = builder.ConnectionString;
        var schema = $"t_{prefix.ToLowerInvariant()}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";
        var server = new PostgresServer(connectionString, schema);
        await server.ExecuteAsync($"CREATE SCHEMA \"{schema}\"").ConfigureAwait(false);
        return server;
    }

    /// <summary>Runs one SQL statement on an administrative connection (for test setup and checks).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = _admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Runs a scalar query on an administrative connection.</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var command = _admin.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync().ConfigureAwait(false);
        return value is null or DBNull ? default : (T)value;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE").ConfigureAwait(false);
        }
        finally
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
        }
    }
}
