using AiAllin.SK.Testing.Logging;
using AiAllin.SK.Testing.Servers;
using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class DependencyInjectionTests
{
    [PostgresFact]
    public async Task KernelBuilder_WithConnectionString_RegistersAWorkingStoreUsingTheRegisteredGenerator()
    {
        await using var server = await PostgresServer.CreateAsync("di");
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(TestEmbeddingGenerator.Words("cat", "dog", "fish"));
        builder.AddAiAllinPostgresVectorStore(server.ConnectionString, new PostgresVectorStoreOptions { Schema = server.Schema });
        var kernel = builder.Build();

        var store = kernel.Services.GetRequiredService<VectorStore>();
        Assert.Same(store, kernel.Services.GetRequiredService<PostgresVectorStore>());
        var collection = store.GetCollection<string, TextEmbeddingRecord<string>>("pets", new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Key", typeof(string)),
                new VectorStoreVectorProperty("Embedding", typeof(string), 3),
                new VectorStoreDataProperty("Label", typeof(string)),
            ],
        });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([new() { Key = "1", Embedding = "cat", Label = "cat" }, new() { Key = "2", Embedding = "dog", Label = "dog" }]);

        Assert.Equal("dog", (await collection.SearchAsync("a dog", 1).SingleAsync()).Record.Label);
        ((IDisposable)kernel.Services).Dispose();
    }

    [PostgresFact]
    public async Task ServiceCollection_WithDataSource_UsesItAndLeavesItOpen()
    {
        await using var server = await PostgresServer.CreateAsync("di");
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        var services = new ServiceCollection().AddAiAllinPostgresVectorStore(dataSource, new PostgresVectorStoreOptions { Schema = server.Schema });

        using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<PostgresVectorStore>();
            Assert.Same(dataSource, store.DataSource);
            await store.GetCollection<long, Article>("articles").EnsureCollectionExistsAsync();
        }

        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM \"{server.Schema}\".articles");
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task ConnectionString_TransientStores_ShareOneDataSource_WhichTheContainerDisposes()
    {
        await using var server = await PostgresServer.CreateAsync("di");
        var provider = new ServiceCollection()
            .AddAiAllinPostgresVectorStore(server.ConnectionString, new PostgresVectorStoreOptions { Schema = server.Schema }, ServiceLifetime.Transient)
            .BuildServiceProvider();

        var first = provider.GetRequiredService<PostgresVectorStore>();
        var second = provider.GetRequiredService<PostgresVectorStore>();
        Assert.NotSame(first, second);
        Assert.Same(first.DataSource, second.DataSource);
        await using (var connection = await first.DataSource.OpenConnectionAsync())
        {
            Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        }

        await provider.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await first.DataSource.OpenConnectionAsync());
    }

    [PostgresFact]
    public async Task DataSourceFromTheContainer_IsUsed_AndOutlivesTheStoresDisposal()
    {
        await using var server = await PostgresServer.CreateAsync("di");
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        var provider = new ServiceCollection()
            .AddSingleton(dataSource)
            .AddAiAllinPostgresVectorStore(new PostgresVectorStoreOptions { Schema = server.Schema }, ServiceLifetime.Scoped)
            .AddAiAllinPostgresCollection<long, Article>("articles", new PostgresCollectionOptions { Schema = server.Schema })
            .BuildServiceProvider();

        using (var scope = provider.CreateScope())
        {
            Assert.Same(dataSource, scope.ServiceProvider.GetRequiredService<PostgresVectorStore>().DataSource);
        }

        var collection = provider.GetRequiredService<VectorStoreCollection<long, Article>>();
        await collection.EnsureCollectionExistsAsync();
        await provider.DisposeAsync();

        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM \"{server.Schema}\".articles");
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task KeyedStore_TakesTheDataSourceRegisteredUnderItsKey_ElseTheUnkeyedOne()
    {
        await using var server = await PostgresServer.CreateAsync("di");
        await using var unkeyed = NpgsqlDataSource.Create(server.ConnectionString);
        await using var keyed = NpgsqlDataSource.Create(server.ConnectionString);
        await using var provider = new ServiceCollection()
            .AddSingleton(unkeyed)
            .AddKeyedSingleton("reports", keyed)
            .AddKeyedAiAllinPostgresVectorStore("reports", new PostgresVectorStoreOptions { Schema = server.Schema })
            .AddKeyedAiAllinPostgresVectorStore("other", new PostgresVectorStoreOptions { Schema = server.Schema })
            .BuildServiceProvider();

        Assert.Same(keyed, provider.GetRequiredKeyedService<PostgresVectorStore>("reports").DataSource);
        Assert.Same(unkeyed, provider.GetRequiredKeyedService<PostgresVectorStore>("other").DataSource);
    }

    [Fact]
    public void DataSourceFromTheContainer_WhenNoneIsRegistered_FailsWithAMessageThatSaysWhatToRegister()
    {
        using var provider = new ServiceCollection().AddAiAllinPostgresVectorStore().BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<VectorStore>());
        Assert.Contains("NpgsqlDataSource", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddAiAllinPostgresVectorStore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadConnectionStringOrSchema_FailsAtRegistration_AndRegistersNothing()
    {
        var services = new ServiceCollection();

        Assert.ThrowsAny<ArgumentException>(() => services.AddAiAllinPostgresVectorStore("Host=db;NoSuchKeyword=1"));
        Assert.ThrowsAny<ArgumentException>(() => services.AddAiAllinPostgresVectorStore("Host=db", new PostgresVectorStoreOptions { Schema = "x\"; DROP" }));
        Assert.ThrowsAny<ArgumentException>(() => services.AddAiAllinPostgresCollection<long, Article>("bad name", "Host=db"));
        Assert.Empty(services);
    }

    [PostgresFact]
    public async Task ConnectionString_DataSourceLogsThroughTheContainersLoggerFactory()
    {
        await using var server = await PostgresServer.CreateAsync("di");
        using var logs = new CollectingLoggerProvider();
        await using var provider = new ServiceCollection()
            .AddSingleton(logs.CreateFactory())
            .AddAiAllinPostgresVectorStore(server.ConnectionString, new PostgresVectorStoreOptions { Schema = server.Schema })
            .BuildServiceProvider();

        await provider.GetRequiredService<VectorStore>().CollectionExistsAsync("nothing_here");

        Assert.Contains(logs.Entries, e => e.Category.StartsWith("Npgsql", StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task KernelBuilder_CollectionRegistration_ResolvesAWorkingCollection()
    {
        await using var server = await PostgresServer.CreateAsync("di");
        var kernel = Kernel.CreateBuilder()
            .AddAiAllinPostgresCollection<long, Article>("articles", server.ConnectionString, new PostgresCollectionOptions { Schema = server.Schema })
            .Build();

        var collection = kernel.Services.GetRequiredService<VectorStoreCollection<long, Article>>();
        Assert.Same(collection, kernel.Services.GetRequiredService<IKeywordHybridSearchable<Article>>());
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Articles.Make(1, "hello", Articles.Vector(1, 4)));
        Assert.Equal("hello", (await collection.GetAsync(1))?.Title);
        ((IDisposable)kernel.Services).Dispose();
    }
}
