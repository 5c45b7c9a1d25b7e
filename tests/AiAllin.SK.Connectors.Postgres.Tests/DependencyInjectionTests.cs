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
        builder.AddPostgresVectorStore(server.ConnectionString, new PostgresVectorStoreOptions { Schema = server.Schema });
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
        var services = new ServiceCollection().AddPostgresVectorStore(dataSource, new PostgresVectorStoreOptions { Schema = server.Schema });

        using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<PostgresVectorStore>();
            Assert.Same(dataSource, store.DataSource);
            await store.GetCollection<long, Article>("articles").EnsureCollectionExistsAsync();
        }

        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM \"{server.Schema}\".articles");
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}
