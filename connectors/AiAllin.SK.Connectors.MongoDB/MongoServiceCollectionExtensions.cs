using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// Registers the MongoDB vector store and collections in an <see cref="IServiceCollection"/>. Each registration that
/// takes a connection string or <see cref="MongoClientSettings"/> builds one <see cref="MongoClient"/> (one connection
/// pool) shared by every instance it gives and disposed with the container; the others use the container's <see cref="IMongoDatabase"/>.
/// Options that set no embedding generator take the one registered in the container.
/// </summary>
public static partial class MongoServiceCollectionExtensions
{
    /// <summary>Registers a <see cref="MongoVectorStore"/>, also as <see cref="VectorStore"/>, on the container's <see cref="IMongoDatabase"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinMongoVectorStore(
        this IServiceCollection services, MongoVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        => AddStore(services, null, (sp, key) => MongoRegistration.DatabaseFromContainer(sp, key, nameof(AddAiAllinMongoVectorStore)), _ => options, lifetime);

    /// <summary>Registers a <see cref="MongoVectorStore"/>, also as <see cref="VectorStore"/>, on a client the registration builds from <paramref name="connectionString"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">The MongoDB connection string (replica set, read preference, read/write concern, retryable writes, TLS and pool size are read from it); parsed here.</param>
    /// <param name="databaseName">The database that holds the collections.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinMongoVectorStore(
        this IServiceCollection services, string connectionString, string databaseName, MongoVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        => AddKeyedAiAllinMongoVectorStore(services, null, connectionString, databaseName, options, lifetime);

    /// <summary>Registers a <see cref="MongoVectorStore"/>, also as <see cref="VectorStore"/>, on a client the registration builds from <paramref name="settings"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="settings">The client settings; the registration uses them as given.</param>
    /// <param name="databaseName">The database that holds the collections.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinMongoVectorStore(
        this IServiceCollection services, MongoClientSettings settings, string databaseName, MongoVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        => AddKeyedAiAllinMongoVectorStore(services, null, settings, databaseName, options, lifetime);

    /// <summary>Registers a <see cref="MongoVectorStore"/> under <paramref name="serviceKey"/> on the container's <see cref="IMongoDatabase"/> (keyed first, else unkeyed).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinMongoVectorStore(
        this IServiceCollection services, object? serviceKey, MongoVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        => AddStore(services, serviceKey, (sp, key) => MongoRegistration.DatabaseFromContainer(sp, key, nameof(AddKeyedAiAllinMongoVectorStore)), _ => options, lifetime);

    /// <summary>Registers a <see cref="MongoVectorStore"/> under <paramref name="serviceKey"/> on a client built from <paramref name="connectionString"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key.</param>
    /// <param name="connectionString">The MongoDB connection string; parsed here.</param>
    /// <param name="databaseName">The database that holds the collections.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinMongoVectorStore(
        this IServiceCollection services, object? serviceKey, string connectionString, string databaseName, MongoVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        var settings = MongoRegistration.Settings(connectionString);
        return AddKeyedAiAllinMongoVectorStore(services, serviceKey, settings, databaseName, options, lifetime);
    }

    /// <summary>Registers a <see cref="MongoVectorStore"/> under <paramref name="serviceKey"/> on a client built from <paramref name="settings"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key.</param>
    /// <param name="settings">The client settings.</param>
    /// <param name="databaseName">The database that holds the collections.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinMongoVectorStore(
        this IServiceCollection services, object? serviceKey, MongoClientSettings settings, string databaseName, MongoVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        var frozen = settings.Clone();
        return AddStore(services, serviceKey, MongoRegistration.OwnedDatabase(services, _ => frozen, databaseName), _ => options, lifetime);
    }

    /// <summary>Registers a <see cref="MongoCollection{TKey, TRecord}"/> named <paramref name="name"/>, also as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on the container's <see cref="IMongoDatabase"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The collection name; checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinMongoCollection<TKey, TRecord>(
        this IServiceCollection services, string name, MongoCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
        => AddKeyedAiAllinMongoCollection<TKey, TRecord>(services, null, name, options, lifetime);

    /// <summary>Registers a <see cref="MongoCollection{TKey, TRecord}"/> named <paramref name="name"/> with its abstractions, on a client built from <paramref name="connectionString"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The collection name; checked here.</param>
    /// <param name="connectionString">The MongoDB connection string; parsed here.</param>
    /// <param name="databaseName">The database that holds the collection.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinMongoCollection<TKey, TRecord>(
        this IServiceCollection services, string name, string connectionString, string databaseName, MongoCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
        => AddKeyedAiAllinMongoCollection<TKey, TRecord>(services, null, name, connectionString, databaseName, options, lifetime);

    /// <summary>Registers a <see cref="MongoCollection{TKey, TRecord}"/> named <paramref name="name"/> under <paramref name="serviceKey"/> with its abstractions, on the container's <see cref="IMongoDatabase"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key.</param>
    /// <param name="name">The collection name; checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinMongoCollection<TKey, TRecord>(
        this IServiceCollection services, object? serviceKey, string name, MongoCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
        => AddCollection<TKey, TRecord>(
            services, serviceKey, name, (sp, key) => MongoRegistration.DatabaseFromContainer(sp, key, nameof(AddKeyedAiAllinMongoCollection)), options, lifetime);

    /// <summary>Registers a <see cref="MongoCollection{TKey, TRecord}"/> named <paramref name="name"/> under <paramref name="serviceKey"/> with its abstractions, on a client built from <paramref name="connectionString"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key.</param>
    /// <param name="name">The collection name; checked here.</param>
    /// <param name="connectionString">The MongoDB connection string; parsed here.</param>
    /// <param name="databaseName">The database that holds the collection.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinMongoCollection<TKey, TRecord>(
        this IServiceCollection services, object? serviceKey, string name, string connectionString, string databaseName, MongoCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = MongoRegistration.Settings(connectionString);
        return AddCollection<TKey, TRecord>(services, serviceKey, name, MongoRegistration.OwnedDatabase(services, _ => settings, databaseName), options, lifetime);
    }

    private static IServiceCollection AddStore(
        IServiceCollection services,
        object? serviceKey,
        Func<IServiceProvider, object?, IMongoDatabase> database,
        Func<IServiceProvider, MongoVectorStoreOptions?> optionsProvider,
        ServiceLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(services);
        return VectorStoreRegistration.AddVectorStore(
            services,
            serviceKey,
            (sp, key) => new MongoVectorStore(database(sp, key), MongoRegistration.StoreOptions(sp, key, optionsProvider(sp))),
            lifetime);
    }

    private static IServiceCollection AddCollection<TKey, TRecord>(
        IServiceCollection services,
        object? serviceKey,
        string name,
        Func<IServiceProvider, object?, IMongoDatabase> database,
        MongoCollectionOptions? options,
        ServiceLifetime lifetime)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(services);
        MongoNames.ValidateCollectionName(name, nameof(name));
        return VectorStoreRegistration.AddCollection<MongoCollection<TKey, TRecord>, TKey, TRecord>(
            services,
            serviceKey,
            (sp, key) => new MongoCollection<TKey, TRecord>(database(sp, key), name, MongoRegistration.CollectionOptions(sp, key, options)),
            lifetime);
    }
}
