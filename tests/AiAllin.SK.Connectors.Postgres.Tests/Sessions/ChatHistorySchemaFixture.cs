namespace AiAllin.SK.Connectors.Postgres.Tests.Sessions;

/// <summary>One schema shared by the conformance tests of a class, which use unique session and owner ids.</summary>
public sealed class ChatHistorySchemaFixture : IAsyncLifetime
{
    private ChatTestDatabase? _database;

    internal ChatTestDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync() => _database = await ChatTestDatabase.CreateAsync("conf");

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
