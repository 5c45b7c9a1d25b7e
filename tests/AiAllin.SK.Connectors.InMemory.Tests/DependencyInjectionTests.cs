using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void KernelBuilder_AddAiAllinInMemoryVectorStore_ResolvesOneSingletonStore()
    {
        var kernel = Kernel.CreateBuilder().AddAiAllinInMemoryVectorStore().Build();

        var store = kernel.Services.GetRequiredService<VectorStore>();

        Assert.IsType<InMemoryVectorStore>(store);
        Assert.Same(store, kernel.Services.GetRequiredService<InMemoryVectorStore>());
        Assert.Same(store, kernel.Services.GetRequiredService<VectorStore>());
        Assert.Equal("aiallin.inmemory", ((VectorStoreMetadata)store.GetService(typeof(VectorStoreMetadata))!).VectorStoreSystemName);
    }

    [Fact]
    public async Task AddAiAllinInMemoryVectorStore_FallsBackToTheEmbeddingGeneratorRegisteredInTheContainer()
    {
        var generator = new HashEmbeddingGenerator(3);
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(generator);
        var store = builder.AddAiAllinInMemoryVectorStore().Build().Services.GetRequiredService<VectorStore>();

        var collection = store.GetCollection<string, TextRecord>("texts");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(new TextRecord { Id = "1", Text = "hello" });

        Assert.Equal(1, generator.Calls);
    }

    [Fact]
    public async Task AddAiAllinInMemoryVectorStore_PrefersTheGeneratorOfTheOptions()
    {
        var registered = new HashEmbeddingGenerator(3);
        var configured = new HashEmbeddingGenerator(3);
        var services = new ServiceCollection()
            .AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(registered)
            .AddAiAllinInMemoryVectorStore(new() { EmbeddingGenerator = configured });
        using var provider = services.BuildServiceProvider();

        var collection = provider.GetRequiredService<VectorStore>().GetCollection<string, TextRecord>("texts");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(new TextRecord { Id = "1", Text = "hello" });

        Assert.Equal(0, registered.Calls);
        Assert.Equal(1, configured.Calls);
    }

    [Fact]
    public async Task KernelBuilder_KeyedCollection_ResolvesUnderItsKeyWithEveryAbstraction()
    {
        var kernel = Kernel.CreateBuilder()
            .AddKeyedAiAllinInMemoryCollection<string, TextRecord>("notes", "texts", new InMemoryCollectionOptions { EmbeddingGenerator = new HashEmbeddingGenerator(3) })
            .Build();

        var collection = kernel.Services.GetRequiredKeyedService<VectorStoreCollection<string, TextRecord>>("notes");
        Assert.Same(collection, kernel.Services.GetRequiredKeyedService<IVectorSearchable<TextRecord>>("notes"));
        Assert.Same(collection, kernel.Services.GetRequiredKeyedService<InMemoryCollection<string, TextRecord>>("notes"));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(new TextRecord { Id = "1", Text = "hello" });
        Assert.Equal("1", (await collection.SearchAsync("hello", 1).SingleAsync()).Record.Id);
    }
}
