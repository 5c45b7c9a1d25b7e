using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.Postgres.Sessions;
using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.SemanticKernel;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres.Tests.Sessions;

public sealed class PostgresChatHistoryRegistrationTests
{
    private const string ConnectionString = "Host=127.0.0.1;Username=nobody";

    [Fact]
    public async Task AddPostgresChatHistoryStore_RegistersOneStoreAndTheCleanupService()
    {
        var services = new ServiceCollection();

        services.AddPostgresChatHistoryStore(ConnectionString, o => o.Schema = "app");

        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IChatHistoryStore>();
        Assert.Same(provider.GetRequiredService<PostgresChatHistoryStore>(), store);
        Assert.IsType<PostgresChatHistoryCleanupService>(Assert.Single(provider.GetServices<IHostedService>()));
    }

    [Fact]
    public async Task AddPostgresChatHistoryStore_WithCleanupDisabled_RegistersNoHostedService()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        var services = new ServiceCollection();

        services.AddPostgresChatHistoryStore(_ => dataSource, o => o.CleanupInterval = TimeSpan.Zero);

        await using var provider = services.BuildServiceProvider();
        Assert.IsType<PostgresChatHistoryStore>(provider.GetRequiredService<IChatHistoryStore>());
        Assert.Empty(provider.GetServices<IHostedService>());
    }

    [Fact]
    public void AddPostgresChatHistoryStore_WithAnInvalidSchema_FailsAtRegistration()
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<ArgumentException>(() => services.AddPostgresChatHistoryStore(ConnectionString, o => o.Schema = "drop table"));

        Assert.Contains("Schema", ex.Message, StringComparison.Ordinal);
        Assert.Empty(services);
    }

    [Fact]
    public async Task KernelBuilder_AddPostgresChatHistoryStore_ForwardsToTheServices()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        var builder = Kernel.CreateBuilder();

        builder.AddPostgresChatHistoryStore(dataSource);

        var kernel = builder.Build();
        Assert.IsType<PostgresChatHistoryStore>(kernel.Services.GetRequiredService<IChatHistoryStore>());
    }

    [PostgresFact]
    public async Task DisposingTheContainer_LeavesTheCallersDataSourceUsable()
    {
        await using var shared = NpgsqlDataSource.Create(TestServers.Require(TestServers.PostgresVariable));
        var services = new ServiceCollection();
        services.AddPostgresChatHistoryStore(shared);

        await using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<IChatHistoryStore>();
        }

        await using var command = shared.CreateCommand("SELECT 1");
        Assert.Equal(1, await command.ExecuteScalarAsync());
    }
}
