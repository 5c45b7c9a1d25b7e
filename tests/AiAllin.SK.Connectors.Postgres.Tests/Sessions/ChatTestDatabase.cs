using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.Postgres.Sessions;
using AiAllin.SK.Testing.Servers;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres.Tests.Sessions;

/// <summary>A fresh schema on the test server, a data source for the stores under test and an admin view of the tables.</summary>
internal sealed class ChatTestDatabase : IAsyncDisposable
{
    private ChatTestDatabase(PostgresServer server)
    {
        Server = server;
        DataSource = NpgsqlDataSource.Create(server.ConnectionString);
    }

    public PostgresServer Server { get; }

    public NpgsqlDataSource DataSource { get; }

    public string Schema => Server.Schema;

    public string Sessions => $"\"{Schema}\".\"chat_sessions\"";

    public string Messages => $"\"{Schema}\".\"chat_messages\"";

    public static async Task<ChatTestDatabase> CreateAsync(string prefix = "chat") =>
        new(await PostgresServer.CreateAsync(prefix));

    public PostgresChatHistoryStore CreateStore(ChatHistoryStoreOptions? options = null) => new(DataSource, new PostgresChatHistoryStoreOptions
    {
        Schema = Schema,
        MaxMessageBytes = options?.MaxMessageBytes ?? ChatHistoryStoreOptions.DefaultMaxMessageBytes,
        ContentProtector = options?.ContentProtector,
        TimeProvider = options?.TimeProvider ?? TimeProvider.System,
    });

    /// <summary>Runs a parameterised statement on its own connection and returns the rows affected.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a parameterised scalar query on its own connection.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    /// <summary>The stored sequences of a session, read directly from the table.</summary>
    public async Task<List<long>> SequencesAsync(string sessionId)
    {
        await using var command = DataSource.CreateCommand($"SELECT seq FROM {Messages} WHERE session_id = @id ORDER BY seq");
        command.Parameters.AddWithValue("id", sessionId);
        await using var reader = await command.ExecuteReaderAsync();
        var sequences = new List<long>();
        while (await reader.ReadAsync())
        {
            sequences.Add(reader.GetInt64(0));
        }

        return sequences;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Server.DisposeAsync();
    }
}
