using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// How the MongoDB registrations find their database: a client built from a connection string or settings belongs to
/// the registration (one <see cref="MongoClient"/>, so one connection pool, shared by every store or collection instance
/// it gives, disposed with the container); a database taken from the container is never disposed by the store.
/// </summary>
internal static class MongoRegistration
{
    /// <summary>Registers the client a registration builds and owns; returns how to resolve its database.</summary>
    public static Func<IServiceProvider, object?, IMongoDatabase> OwnedDatabase(
        IServiceCollection services, Func<IServiceProvider, MongoClientSettings> settingsProvider, string databaseName)
    {
        ArgumentNullException.ThrowIfNull(settingsProvider);
        MongoNames.ValidateDatabaseName(databaseName, nameof(databaseName));

        // A private key no application code can know, so the application's own client registrations never see it.
        var ownKey = new object();
        services.AddKeyedSingleton(ownKey, (sp, _) => new Owned(new MongoClient(settingsProvider(sp))));
        return (sp, _) => sp.GetRequiredKeyedService<Owned>(ownKey).Client.GetDatabase(databaseName);
    }

    /// <summary>Parses a connection string now, so a malformed one fails at registration rather than at first use.</summary>
    public static MongoClientSettings Settings(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            return MongoClientSettings.FromConnectionString(connectionString);
        }
        catch (MongoConfigurationException e)
        {
            // The driver's message quotes the connection string, which may hold a password: only its kind is passed on.
            throw new ArgumentException($"The MongoDB connection string is not valid ({e.GetType().Name}).", nameof(connectionString));
        }
    }

    /// <summary>Resolves the application's database: the one under the registration's key first, then the unkeyed one.</summary>
    public static IMongoDatabase DatabaseFromContainer(IServiceProvider services, object? serviceKey, string method)
        => (serviceKey is not null ? services.GetKeyedService<IMongoDatabase>(serviceKey) : null)
            ?? services.GetService<IMongoDatabase>()
            ?? throw new InvalidOperationException(
                $"{method} without a connection string takes the IMongoDatabase registered in the container (under the same service key, " +
                "or unkeyed), and none is registered. Register one, or pass a connection string and a database name.");

    /// <summary>A copy of the options (the caller's object is never changed) with the container's embedding generator when they set none.</summary>
    public static MongoVectorStoreOptions StoreOptions(IServiceProvider services, object? serviceKey, MongoVectorStoreOptions? options) => new()
    {
        VectorSearchMode = options?.VectorSearchMode ?? MongoVectorSearchMode.Auto,
        KeywordSearchMode = options?.KeywordSearchMode ?? MongoKeywordSearchMode.TextIndex,
        EmbeddingGenerator = options?.EmbeddingGenerator ?? VectorStoreRegistration.EmbeddingGenerator(services, serviceKey),
    };

    /// <summary>A copy of the options with the container's embedding generator when they set none.</summary>
    public static MongoCollectionOptions CollectionOptions(IServiceProvider services, object? serviceKey, MongoCollectionOptions? options)
    {
        var copy = options?.Clone() ?? new MongoCollectionOptions();
        copy.EmbeddingGenerator ??= VectorStoreRegistration.EmbeddingGenerator(services, serviceKey);
        return copy;
    }

    /// <summary>The client a registration built, disposed by the container that holds it.</summary>
    internal sealed class Owned(MongoClient client) : IDisposable
    {
        public MongoClient Client { get; } = client;

        public void Dispose() => Client.Dispose();
    }
}
