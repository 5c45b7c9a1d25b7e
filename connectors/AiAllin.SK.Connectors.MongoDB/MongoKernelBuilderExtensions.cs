using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// Registers the MongoDB vector store and collections on an <see cref="IKernelBuilder"/>; each method forwards to its
/// <see cref="MongoServiceCollectionExtensions"/> namesake.
/// </summary>
public static partial class MongoKernelBuilderExtensions
{
    /// <summary>Registers a <see cref="MongoVectorStore"/> on a client built from <paramref name="connectionString"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="connectionString">The MongoDB connection string.</param>
    /// <param name="databaseName">The database that holds the collections.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinMongoVectorStore(
        this IKernelBuilder builder, string connectionString, string databaseName, MongoVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinMongoVectorStore(connectionString, databaseName, options, lifetime);
        return builder;
    }

    /// <summary>Registers a <see cref="MongoVectorStore"/> under <paramref name="serviceKey"/> on a client built from <paramref name="connectionString"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceKey">The service key.</param>
    /// <param name="connectionString">The MongoDB connection string.</param>
    /// <param name="databaseName">The database that holds the collections.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddKeyedAiAllinMongoVectorStore(
        this IKernelBuilder builder, object? serviceKey, string connectionString, string databaseName, MongoVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedAiAllinMongoVectorStore(serviceKey, connectionString, databaseName, options, lifetime);
        return builder;
    }

    /// <summary>Registers a <see cref="MongoCollection{TKey, TRecord}"/> named <paramref name="name"/> on a client built from <paramref name="connectionString"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="connectionString">The MongoDB connection string.</param>
    /// <param name="databaseName">The database that holds the collection.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinMongoCollection<TKey, TRecord>(
        this IKernelBuilder builder, string name, string connectionString, string databaseName, MongoCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinMongoCollection<TKey, TRecord>(name, connectionString, databaseName, options, lifetime);
        return builder;
    }

    /// <summary>Registers a <see cref="MongoCollection{TKey, TRecord}"/> named <paramref name="name"/> under <paramref name="serviceKey"/> on a client built from <paramref name="connectionString"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceKey">The service key.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="connectionString">The MongoDB connection string.</param>
    /// <param name="databaseName">The database that holds the collection.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddKeyedAiAllinMongoCollection<TKey, TRecord>(
        this IKernelBuilder builder, object? serviceKey, string name, string connectionString, string databaseName, MongoCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedAiAllinMongoCollection<TKey, TRecord>(serviceKey, name, connectionString, databaseName, options, lifetime);
        return builder;
    }
}
