using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using AiAllin.SK.Testing.Conditional;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Registration the way the <c>Microsoft.Extensions.VectorData</c> providers do it: store and collection, keyed and
/// unkeyed, the three lifetimes, the abstractions registered beside the concrete types, and options falling back on the
/// container's embedding generator. Each test builds its own container and deletes the collections it created.
/// </summary>
/// <typeparam name="TKey">The record key type the suite runs with.</typeparam>
public abstract class DependencyInjectionConformance<TKey> : IAsyncLifetime
    where TKey : notnull
{
    private readonly List<ServiceProvider> _providers = [];
    private readonly List<VectorStoreCollection<TKey, ConformanceRecord<TKey>>> _collections = [];
    private readonly List<VectorStoreCollection<TKey, TextEmbeddingRecord<TKey>>> _textCollections = [];

    /// <summary>Gets the store's registration methods.</summary>
    protected abstract IVectorStoreRegistrations Registrations { get; }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var collection in _collections)
        {
            await collection.EnsureCollectionDeletedAsync();
        }

        foreach (var collection in _textCollections)
        {
            await collection.EnsureCollectionDeletedAsync();
        }

        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
    }

    [ConformanceFact]
    public void VectorStore_Singleton_ResolvesOneInstanceAsTheAbstractionAndTheConcreteType()
    {
        var provider = Build(services => Registrations.AddVectorStore(services, null, null, ServiceLifetime.Singleton));

        var store = provider.GetRequiredService<VectorStore>();
        Assert.IsType(Registrations.StoreType, store);
        Assert.Same(store, provider.GetRequiredService(Registrations.StoreType));
        Assert.Same(store, provider.GetRequiredService<VectorStore>());
    }

    [ConformanceFact]
    public void VectorStore_Scoped_GivesOneInstancePerScope()
    {
        var provider = Build(services => Registrations.AddVectorStore(services, null, null, ServiceLifetime.Scoped));

        using var first = provider.CreateScope();
        using var second = provider.CreateScope();
        var store = first.ServiceProvider.GetRequiredService<VectorStore>();
        Assert.Same(store, first.ServiceProvider.GetRequiredService(Registrations.StoreType));
        Assert.NotSame(store, second.ServiceProvider.GetRequiredService<VectorStore>());
    }

    [ConformanceFact]
    public void VectorStore_Transient_GivesANewInstancePerResolution()
    {
        var provider = Build(services => Registrations.AddVectorStore(services, null, null, ServiceLifetime.Transient));

        Assert.NotSame(provider.GetRequiredService<VectorStore>(), provider.GetRequiredService<VectorStore>());
    }

    [ConformanceFact]
    public async Task VectorStore_Transient_InstancesShareTheirCollectionsData()
    {
        var provider = Build(services => Registrations.AddVectorStore(services, null, null, ServiceLifetime.Transient));
        var name = TestCollectionNames.Create("di");

        var writer = Track(provider.GetRequiredService<VectorStore>().GetCollection<TKey, ConformanceRecord<TKey>>(name, Definition()));
        await writer.EnsureCollectionExistsAsync();
        await writer.UpsertAsync(Record(1, "shared"));

        var reader = provider.GetRequiredService<VectorStore>().GetCollection<TKey, ConformanceRecord<TKey>>(name, Definition());
        Assert.Equal("shared", (await reader.GetAsync(TestKeys.Create<TKey>(1)))?.Text);
    }

    [ConformanceFact]
    public void KeyedVectorStores_ResolveOnlyUnderTheirOwnKeys()
    {
        var provider = Build(services =>
        {
            Registrations.AddVectorStore(services, "a", null, ServiceLifetime.Singleton);
            Registrations.AddVectorStore(services, "b", null, ServiceLifetime.Singleton);
        });

        var a = provider.GetRequiredKeyedService<VectorStore>("a");
        Assert.Same(a, provider.GetRequiredKeyedService(Registrations.StoreType, "a"));
        Assert.NotSame(a, provider.GetRequiredKeyedService<VectorStore>("b"));
        Assert.Null(provider.GetService<VectorStore>());
        Assert.Null(provider.GetService(Registrations.StoreType));
    }

    [ConformanceFact]
    public async Task VectorStore_WithoutAGeneratorInItsOptions_EmbedsWithTheContainersGenerator()
    {
        var generator = TestEmbeddingGenerator.Words("cat", "dog", "fish");
        var provider = Build(services =>
        {
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(generator);
            Registrations.AddVectorStore(services, null, null, ServiceLifetime.Singleton);
        });

        var collection = TrackText(provider.GetRequiredService<VectorStore>()
            .GetCollection<TKey, TextEmbeddingRecord<TKey>>(TestCollectionNames.Create("di"), TextDefinition()));
        await AssertEmbedsAsync(collection);
        Assert.NotEmpty(generator.Inputs);
    }

    [ConformanceFact]
    public async Task KeyedVectorStore_PrefersTheGeneratorRegisteredUnderItsKey()
    {
        var unkeyed = TestEmbeddingGenerator.Words("cat", "dog", "fish");
        var keyed = TestEmbeddingGenerator.Words("cat", "dog", "fish");
        var provider = Build(services =>
        {
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(unkeyed);
            services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>("k", keyed);
            Registrations.AddVectorStore(services, "k", null, ServiceLifetime.Singleton);
        });

        var collection = TrackText(provider.GetRequiredKeyedService<VectorStore>("k")
            .GetCollection<TKey, TextEmbeddingRecord<TKey>>(TestCollectionNames.Create("di"), TextDefinition()));
        await AssertEmbedsAsync(collection);
        Assert.NotEmpty(keyed.Inputs);
        Assert.Empty(unkeyed.Inputs);
    }

    [ConformanceFact]
    public void Collection_RegistersTheCollectionSearchableAndHybridSearchable_AsOneInstance()
    {
        var name = TestCollectionNames.Create("di");
        var provider = Build(services => Registrations.AddCollection<TKey, ConformanceRecord<TKey>>(services, null, name, Definition(), null, ServiceLifetime.Singleton));

        var collection = Track(provider.GetRequiredService<VectorStoreCollection<TKey, ConformanceRecord<TKey>>>());
        Assert.IsType(Registrations.CollectionType<TKey, ConformanceRecord<TKey>>(), collection);
        Assert.Equal(name, collection.Name);
        Assert.Same(collection, provider.GetRequiredService(Registrations.CollectionType<TKey, ConformanceRecord<TKey>>()));
        Assert.Same(collection, provider.GetRequiredService<IVectorSearchable<ConformanceRecord<TKey>>>());
        Assert.Same(collection, provider.GetRequiredService<IKeywordHybridSearchable<ConformanceRecord<TKey>>>());
    }

    [ConformanceFact]
    public void KeyedCollection_ResolvesOnlyUnderItsKey_WithEveryAbstraction()
    {
        var name = TestCollectionNames.Create("di");
        var provider = Build(services => Registrations.AddCollection<TKey, ConformanceRecord<TKey>>(services, "docs", name, Definition(), null, ServiceLifetime.Singleton));

        var collection = Track(provider.GetRequiredKeyedService<VectorStoreCollection<TKey, ConformanceRecord<TKey>>>("docs"));
        Assert.Same(collection, provider.GetRequiredKeyedService<IVectorSearchable<ConformanceRecord<TKey>>>("docs"));
        Assert.Same(collection, provider.GetRequiredKeyedService<IKeywordHybridSearchable<ConformanceRecord<TKey>>>("docs"));
        Assert.Null(provider.GetService<VectorStoreCollection<TKey, ConformanceRecord<TKey>>>());
        Assert.Null(provider.GetService<IVectorSearchable<ConformanceRecord<TKey>>>());
    }

    [ConformanceFact]
    public void Collection_Scoped_GivesOneInstancePerScope()
    {
        var name = TestCollectionNames.Create("di");
        var provider = Build(services => Registrations.AddCollection<TKey, ConformanceRecord<TKey>>(services, null, name, Definition(), null, ServiceLifetime.Scoped));

        using var first = provider.CreateScope();
        using var second = provider.CreateScope();
        var collection = Track(first.ServiceProvider.GetRequiredService<VectorStoreCollection<TKey, ConformanceRecord<TKey>>>());
        Assert.Same(collection, first.ServiceProvider.GetRequiredService<IVectorSearchable<ConformanceRecord<TKey>>>());
        Assert.NotSame(collection, second.ServiceProvider.GetRequiredService<VectorStoreCollection<TKey, ConformanceRecord<TKey>>>());
    }

    [ConformanceFact]
    public async Task Collection_Transient_GivesNewInstancesOverTheSameData()
    {
        var name = TestCollectionNames.Create("di");
        var provider = Build(services => Registrations.AddCollection<TKey, ConformanceRecord<TKey>>(services, null, name, Definition(), null, ServiceLifetime.Transient));

        var writer = Track(provider.GetRequiredService<VectorStoreCollection<TKey, ConformanceRecord<TKey>>>());
        var reader = provider.GetRequiredService<VectorStoreCollection<TKey, ConformanceRecord<TKey>>>();
        Assert.NotSame(writer, reader);

        await writer.EnsureCollectionExistsAsync();
        await writer.UpsertAsync(Record(1, "shared"));
        Assert.Equal("shared", (await reader.GetAsync(TestKeys.Create<TKey>(1)))?.Text);
        var hit = await provider.GetRequiredService<IVectorSearchable<ConformanceRecord<TKey>>>()
            .SearchAsync(new ReadOnlyMemory<float>([1, 0, 0]), 1).SingleAsync();
        Assert.Equal("shared", hit.Record.Text);
    }

    [ConformanceFact]
    public async Task Collection_WithoutAGeneratorInItsOptions_EmbedsWithTheContainersGenerator()
    {
        var generator = TestEmbeddingGenerator.Words("cat", "dog", "fish");
        var name = TestCollectionNames.Create("di");
        var provider = Build(services =>
        {
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(generator);
            Registrations.AddCollection<TKey, TextEmbeddingRecord<TKey>>(services, null, name, TextDefinition(), null, ServiceLifetime.Singleton);
        });

        await AssertEmbedsAsync(TrackText(provider.GetRequiredService<VectorStoreCollection<TKey, TextEmbeddingRecord<TKey>>>()));
        Assert.NotEmpty(generator.Inputs);
    }

    [ConformanceFact]
    public async Task Collection_GeneratorOfItsOptions_WinsOverTheContainers()
    {
        var registered = TestEmbeddingGenerator.Words("cat", "dog", "fish");
        var configured = TestEmbeddingGenerator.Words("cat", "dog", "fish");
        var name = TestCollectionNames.Create("di");
        var provider = Build(services =>
        {
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(registered);
            Registrations.AddCollection<TKey, TextEmbeddingRecord<TKey>>(services, "k", name, TextDefinition(), configured, ServiceLifetime.Singleton);
        });

        await AssertEmbedsAsync(TrackText(provider.GetRequiredKeyedService<VectorStoreCollection<TKey, TextEmbeddingRecord<TKey>>>("k")));
        Assert.NotEmpty(configured.Inputs);
        Assert.Empty(registered.Inputs);
    }

    [ConformanceFact]
    public async Task VectorStore_GeneratorOfItsOptions_WinsOverTheContainers()
    {
        var registered = TestEmbeddingGenerator.Words("cat", "dog", "fish");
        var configured = TestEmbeddingGenerator.Words("cat", "dog", "fish");
        var provider = Build(services =>
        {
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(registered);
            Registrations.AddVectorStore(services, null, configured, ServiceLifetime.Singleton);
        });

        var collection = TrackText(provider.GetRequiredService<VectorStore>()
            .GetCollection<TKey, TextEmbeddingRecord<TKey>>(TestCollectionNames.Create("di"), TextDefinition()));
        await AssertEmbedsAsync(collection);
        Assert.NotEmpty(configured.Inputs);
        Assert.Empty(registered.Inputs);
    }

    [ConformanceFact]
    public void Registration_WithAnInvalidCollectionName_FailsAtRegistration()
    {
        var services = new ServiceCollection();
        Assert.ThrowsAny<ArgumentException>(() => Registrations.AddCollection<TKey, ConformanceRecord<TKey>>(services, null, "", Definition(), null, ServiceLifetime.Singleton));
        Assert.Empty(services);
    }

    private static VectorStoreCollectionDefinition Definition() => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(ConformanceRecord<TKey>.Key), typeof(TKey)),
            new VectorStoreDataProperty(nameof(ConformanceRecord<TKey>.Text), typeof(string)) { IsFullTextIndexed = true },
            new VectorStoreDataProperty(nameof(ConformanceRecord<TKey>.Number), typeof(int)) { IsIndexed = true },
            new VectorStoreVectorProperty(nameof(ConformanceRecord<TKey>.Vector), typeof(ReadOnlyMemory<float>), 3),
        ],
    };

    private static VectorStoreCollectionDefinition TextDefinition() => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(TextEmbeddingRecord<TKey>.Key), typeof(TKey)),
            new VectorStoreVectorProperty(nameof(TextEmbeddingRecord<TKey>.Embedding), typeof(string), 3),
            new VectorStoreDataProperty(nameof(TextEmbeddingRecord<TKey>.Label), typeof(string)),
        ],
    };

    private static ConformanceRecord<TKey> Record(int key, string text)
        => new() { Key = TestKeys.Create<TKey>(key), Text = text, Number = key, Vector = new float[] { 1, 0, 0 } };

    private static async Task AssertEmbedsAsync(VectorStoreCollection<TKey, TextEmbeddingRecord<TKey>> collection)
    {
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new() { Key = TestKeys.Create<TKey>(1), Embedding = "cat", Label = "cat" },
            new() { Key = TestKeys.Create<TKey>(2), Embedding = "dog", Label = "dog" },
        ]);
        Assert.Equal("dog", (await collection.SearchAsync("a dog", 1).SingleAsync()).Record.Label);
    }

    private ServiceProvider Build(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        _providers.Add(provider);
        return provider;
    }

    private VectorStoreCollection<TKey, ConformanceRecord<TKey>> Track(VectorStoreCollection<TKey, ConformanceRecord<TKey>> collection)
    {
        _collections.Add(collection);
        return collection;
    }

    private VectorStoreCollection<TKey, TextEmbeddingRecord<TKey>> TrackText(VectorStoreCollection<TKey, TextEmbeddingRecord<TKey>> collection)
    {
        _textCollections.Add(collection);
        return collection;
    }
}
