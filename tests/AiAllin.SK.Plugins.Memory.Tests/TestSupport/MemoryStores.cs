using AiAllin.SK.Connectors.InMemory;
using AiAllin.SK.Connectors.Postgres;
using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Plugins.Memory.Tests.TestSupport;

/// <summary>A store for one test: in memory, or a fresh PostgreSQL schema dropped on dispose.</summary>
internal sealed class MemoryStores : IAsyncDisposable
{
    private readonly PostgresServer? _server;

    private MemoryStores(VectorStore store, PostgresServer? server)
    {
        Store = store;
        _server = server;
    }

    public VectorStore Store { get; }

    public PostgresServer? Server => _server;

    public static async Task<MemoryStores> CreateAsync(string kind)
    {
        if (kind == "inmemory")
        {
            return new MemoryStores(new InMemoryVectorStore(), null);
        }

        var server = await PostgresServer.CreateAsync("memory");
        return new MemoryStores(new PostgresVectorStore(server.ConnectionString, new PostgresVectorStoreOptions { Schema = server.Schema }), server);
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
