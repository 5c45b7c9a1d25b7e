using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// The registrations, checked without a server (a <see cref="MongoClient"/> connects on first use): abstractions, keys,
/// one client per registration, settings passed through from the connection string, errors at registration.
/// </summary>
public sealed class RegistrationTests
{
    private const string ConnectionString =
        "mongodb://user:s3cret@db1.example:27017,db2.example:27017/?replicaSet=rs0&readPreference=secondaryPreferred&w=majority" +
        "&readConcernLevel=majority&retryWrites=true&tls=true&maxPoolSize=42";

    [Fact]
    public void Store_ResolvesAsItselfAndTheAbstraction_OnOneClientPerRegistration()
    {
        var services = new ServiceCollection();
        services.AddAiAllinMongoVectorStore(ConnectionString, "memory", lifetime: ServiceLifetime.Transient);
        services.AddKeyedAiAllinMongoVectorStore("other", ConnectionString, "memory");
        using var provider = services.BuildServiceProvider();

        var first = provider.GetRequiredService<MongoVectorStore>();
        var second = (MongoVectorStore)provider.GetRequiredService<VectorStore>();
        var keyed = provider.GetRequiredKeyedService<MongoVectorStore>("other");

        Assert.NotSame(first, second);
        Assert.Same(first.Database.Client, second.Database.Client);
        Assert.NotSame(first.Database.Client, keyed.Database.Client);
        Assert.Equal("memory", first.Database.DatabaseNamespace.DatabaseName);
        Assert.Null(provider.GetKeyedService<VectorStore>("missing"));
    }

    [Fact]
    public void ProductionSettings_PassThroughFromTheConnectionString()
    {
        var services = new ServiceCollection();
        services.AddAiAllinMongoVectorStore(ConnectionString, "memory");
        using var provider = services.BuildServiceProvider();

        var settings = provider.GetRequiredService<MongoVectorStore>().Database.Client.Settings;

        Assert.Equal("rs0", settings.ReplicaSetName);
        Assert.Equal(ReadPreferenceMode.SecondaryPreferred, settings.ReadPreference.ReadPreferenceMode);
        Assert.Equal(WriteConcern.WMajority.W, settings.WriteConcern.W);
        Assert.Equal(ReadConcern.Majority, settings.ReadConcern);
        Assert.True(settings.RetryWrites);
        Assert.True(settings.UseTls);
        Assert.Equal(42, settings.MaxConnectionPoolSize);
        Assert.Equal(2, settings.Servers.Count());
    }

    [Fact]
    public void ClientSettings_AreUsedAsGiven()
    {
        var settings = MongoClientSettings.FromConnectionString("mongodb://localhost:27017");
        settings.MaxConnectionPoolSize = 7;
        var services = new ServiceCollection();
        services.AddAiAllinMongoVectorStore(settings, "memory");
        using var provider = services.BuildServiceProvider();

        Assert.Equal(7, provider.GetRequiredService<MongoVectorStore>().Database.Client.Settings.MaxConnectionPoolSize);
    }

    [Fact]
    public void Collection_RegistersEveryAbstraction_AsOneInstance()
    {
        var services = new ServiceCollection();
        services.AddKeyedAiAllinMongoCollection<string, Article>("k", "articles", ConnectionString, "memory");
        using var provider = services.BuildServiceProvider();

        var collection = provider.GetRequiredKeyedService<MongoCollection<string, Article>>("k");
        Assert.Same(collection, provider.GetRequiredKeyedService<VectorStoreCollection<string, Article>>("k"));
        Assert.Same(collection, provider.GetRequiredKeyedService<IVectorSearchable<Article>>("k"));
        Assert.Same(collection, provider.GetRequiredKeyedService<IKeywordHybridSearchable<Article>>("k"));
        Assert.Null(provider.GetService<VectorStoreCollection<string, Article>>());
    }

    [Fact]
    public void DatabaseFromTheContainer_IsUsedWhenNoConnectionStringIsGiven()
    {
        using var client = new MongoClient("mongodb://localhost:27017");
        var services = new ServiceCollection();
        services.AddSingleton(client.GetDatabase("appdb"));
        services.AddAiAllinMongoVectorStore();
        using var provider = services.BuildServiceProvider();

        Assert.Equal("appdb", provider.GetRequiredService<MongoVectorStore>().Database.DatabaseNamespace.DatabaseName);
    }

    [Fact]
    public void MissingDatabase_IsAClearErrorAtResolution()
    {
        var services = new ServiceCollection();
        services.AddAiAllinMongoVectorStore();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<VectorStore>());
        Assert.Contains("IMongoDatabase", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadConnectionString_FailsAtRegistration_WithoutEchoingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAiAllinMongoVectorStore("mongodb://user:s3cret@host:notaport", "memory"));
        Assert.DoesNotContain("s3cret", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("$cmd")]
    [InlineData("")]
    public void BadCollectionOrDatabaseName_FailsAtRegistration(string name)
    {
        Assert.ThrowsAny<ArgumentException>(() => new ServiceCollection().AddAiAllinMongoCollection<string, Article>(name, ConnectionString, "memory"));
        Assert.ThrowsAny<ArgumentException>(() => new ServiceCollection().AddAiAllinMongoVectorStore(ConnectionString, name));
    }

    [Fact]
    public void KernelBuilder_ForwardsToTheServiceCollection()
    {
        var builder = Kernel.CreateBuilder();
        builder.AddAiAllinMongoVectorStore(ConnectionString, "memory");
        builder.AddAiAllinMongoCollection<string, Article>("articles", ConnectionString, "memory");
        var kernel = builder.Build();

        Assert.IsType<MongoVectorStore>(kernel.Services.GetRequiredService<VectorStore>());
        Assert.Equal("articles", kernel.Services.GetRequiredService<VectorStoreCollection<string, Article>>().Name);
    }
}
