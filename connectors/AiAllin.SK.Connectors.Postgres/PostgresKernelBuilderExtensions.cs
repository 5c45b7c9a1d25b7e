using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// Registers the PostgreSQL stores on an <see cref="IKernelBuilder"/>; each method forwards to its
/// <see cref="PostgresServiceCollectionExtensions"/> namesake.
/// </summary>
public static partial class PostgresKernelBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on the <see cref="NpgsqlDataSource"/> registered in the container (under the same service key, else unkeyed), which the store never disposes. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinPostgresVectorStore(
        this IKernelBuilder builder, PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinPostgresVectorStore(options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on a pooled data source (with pgvector's mappings and the container's logger factory) that the registration builds from <paramref name="connectionString"/>, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="connectionString">The Npgsql connection string (pool size, TLS and timeouts are read from it); checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinPostgresVectorStore(
        this IKernelBuilder builder, string connectionString, PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinPostgresVectorStore(connectionString, options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on a pooled data source that the registration builds from the connection string <paramref name="connectionStringProvider"/> returns, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="connectionStringProvider">Returns the connection string, from the container (called once, when first needed).</param>
    /// <param name="optionsProvider">Builds the options from the container, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinPostgresVectorStore(
        this IKernelBuilder builder, Func<IServiceProvider, string> connectionStringProvider, Func<IServiceProvider, PostgresVectorStoreOptions?>? optionsProvider = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinPostgresVectorStore(connectionStringProvider, optionsProvider, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on the application's <paramref name="dataSource"/>. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="dataSource">The application's data source; it needs no <c>UseVector()</c> and is never disposed by the store.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinPostgresVectorStore(
        this IKernelBuilder builder, NpgsqlDataSource dataSource, PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinPostgresVectorStore(dataSource, options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on the <see cref="NpgsqlDataSource"/> registered in the container (under the same service key, else unkeyed), which the store never disposes. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddKeyedAiAllinPostgresVectorStore(
        this IKernelBuilder builder, object? serviceKey, PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedAiAllinPostgresVectorStore(serviceKey, options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on a pooled data source (with pgvector's mappings and the container's logger factory) that the registration builds from <paramref name="connectionString"/>, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="connectionString">The Npgsql connection string (pool size, TLS and timeouts are read from it); checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddKeyedAiAllinPostgresVectorStore(
        this IKernelBuilder builder, object? serviceKey, string connectionString, PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedAiAllinPostgresVectorStore(serviceKey, connectionString, options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on a pooled data source that the registration builds from the connection string <paramref name="connectionStringProvider"/> returns, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="connectionStringProvider">Returns the connection string, from the container (called once, when first needed).</param>
    /// <param name="optionsProvider">Builds the options from the container, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddKeyedAiAllinPostgresVectorStore(
        this IKernelBuilder builder, object? serviceKey, Func<IServiceProvider, string> connectionStringProvider, Func<IServiceProvider, PostgresVectorStoreOptions?>? optionsProvider = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedAiAllinPostgresVectorStore(serviceKey, connectionStringProvider, optionsProvider, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on the application's <paramref name="dataSource"/>. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="dataSource">The application's data source; it needs no <c>UseVector()</c> and is never disposed by the store.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddKeyedAiAllinPostgresVectorStore(
        this IKernelBuilder builder, object? serviceKey, NpgsqlDataSource dataSource, PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedAiAllinPostgresVectorStore(serviceKey, dataSource, options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on the <see cref="NpgsqlDataSource"/> registered in the container (under the same service key, else unkeyed), which the collection never disposes. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinPostgresCollection<TKey, TRecord>(
        this IKernelBuilder builder, string name, PostgresCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinPostgresCollection<TKey, TRecord>(name, options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on a pooled data source (with pgvector's mappings and the container's logger factory) that the registration builds from <paramref name="connectionString"/>, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="connectionString">The Npgsql connection string (pool size, TLS and timeouts are read from it); checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinPostgresCollection<TKey, TRecord>(
        this IKernelBuilder builder, string name, string connectionString, PostgresCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinPostgresCollection<TKey, TRecord>(name, connectionString, options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on a pooled data source that the registration builds from the connection string <paramref name="connectionStringProvider"/> returns, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="connectionStringProvider">Returns the connection string, from the container (called once, when first needed).</param>
    /// <param name="optionsProvider">Builds the options from the container, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinPostgresCollection<TKey, TRecord>(
        this IKernelBuilder builder, string name, Func<IServiceProvider, string> connectionStringProvider, Func<IServiceProvider, PostgresCollectionOptions?>? optionsProvider = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinPostgresCollection<TKey, TRecord>(name, connectionStringProvider, optionsProvider, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on the application's <paramref name="dataSource"/>. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="dataSource">The application's data source; it needs no <c>UseVector()</c> and is never disposed by the collection.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinPostgresCollection<TKey, TRecord>(
        this IKernelBuilder builder, string name, NpgsqlDataSource dataSource, PostgresCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinPostgresCollection<TKey, TRecord>(name, dataSource, options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on the <see cref="NpgsqlDataSource"/> registered in the container (under the same service key, else unkeyed), which the collection never disposes. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddKeyedAiAllinPostgresCollection<TKey, TRecord>(
        this IKernelBuilder builder, object? serviceKey, string name, PostgresCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedAiAllinPostgresCollection<TKey, TRecord>(serviceKey, name, options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on a pooled data source (with pgvector's mappings and the container's logger factory) that the registration builds from <paramref name="connectionString"/>, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="connectionString">The Npgsql connection string (pool size, TLS and timeouts are read from it); checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddKeyedAiAllinPostgresCollection<TKey, TRecord>(
        this IKernelBuilder builder, object? serviceKey, string name, string connectionString, PostgresCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedAiAllinPostgresCollection<TKey, TRecord>(serviceKey, name, connectionString, options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on a pooled data source that the registration builds from the connection string <paramref name="connectionStringProvider"/> returns, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="connectionStringProvider">Returns the connection string, from the container (called once, when first needed).</param>
    /// <param name="optionsProvider">Builds the options from the container, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddKeyedAiAllinPostgresCollection<TKey, TRecord>(
        this IKernelBuilder builder, object? serviceKey, string name, Func<IServiceProvider, string> connectionStringProvider, Func<IServiceProvider, PostgresCollectionOptions?>? optionsProvider = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedAiAllinPostgresCollection<TKey, TRecord>(serviceKey, name, connectionStringProvider, optionsProvider, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on the application's <paramref name="dataSource"/>. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="dataSource">The application's data source; it needs no <c>UseVector()</c> and is never disposed by the collection.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddKeyedAiAllinPostgresCollection<TKey, TRecord>(
        this IKernelBuilder builder, object? serviceKey, string name, NpgsqlDataSource dataSource, PostgresCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedAiAllinPostgresCollection<TKey, TRecord>(serviceKey, name, dataSource, options, lifetime);
        return builder;
    }
}
