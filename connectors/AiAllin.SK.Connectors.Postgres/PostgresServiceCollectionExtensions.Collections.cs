using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>Registers the PostgreSQL stores in an <see cref="IServiceCollection"/>.</summary>
public static partial class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on the <see cref="NpgsqlDataSource"/> registered in the container (under the same service key, else unkeyed), which the collection never disposes. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinPostgresCollection<TKey, TRecord>(
        this IServiceCollection services, string name, PostgresCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        PostgresRegistration.Validate(options);
        return AddCollection<TKey, TRecord>(services, serviceKey: null, name, (sp, key) => PostgresRegistration.DataSourceFromContainer(sp, key, "AddAiAllinPostgresCollection"), _ => options, lifetime);
    }

    /// <summary>
    /// Registers a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on a pooled data source (with pgvector's mappings and the container's logger factory) that the registration builds from <paramref name="connectionString"/>, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="connectionString">The Npgsql connection string (pool size, TLS and timeouts are read from it); checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinPostgresCollection<TKey, TRecord>(
        this IServiceCollection services, string name, string connectionString, PostgresCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        PostgresNames.ValidateObjectName(name, nameof(name));
        PostgresRegistration.ValidateConnectionString(connectionString);
        PostgresRegistration.Validate(options);
        return AddCollection<TKey, TRecord>(services, serviceKey: null, name, PostgresRegistration.OwnedDataSource(services, _ => connectionString), _ => options, lifetime);
    }

    /// <summary>
    /// Registers a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on a pooled data source that the registration builds from the connection string <paramref name="connectionStringProvider"/> returns, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="connectionStringProvider">Returns the connection string, from the container (called once, when first needed).</param>
    /// <param name="optionsProvider">Builds the options from the container, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinPostgresCollection<TKey, TRecord>(
        this IServiceCollection services, string name, Func<IServiceProvider, string> connectionStringProvider, Func<IServiceProvider, PostgresCollectionOptions?>? optionsProvider = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        PostgresNames.ValidateObjectName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(connectionStringProvider);
        return AddCollection<TKey, TRecord>(services, serviceKey: null, name, PostgresRegistration.OwnedDataSource(services, connectionStringProvider), optionsProvider ?? (_ => null), lifetime);
    }

    /// <summary>
    /// Registers a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on the application's <paramref name="dataSource"/>. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="dataSource">The application's data source; it needs no <c>UseVector()</c> and is never disposed by the collection.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinPostgresCollection<TKey, TRecord>(
        this IServiceCollection services, string name, NpgsqlDataSource dataSource, PostgresCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        PostgresRegistration.Validate(options);
        return AddCollection<TKey, TRecord>(services, serviceKey: null, name, (_, _) => dataSource, _ => options, lifetime);
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on the <see cref="NpgsqlDataSource"/> registered in the container (under the same service key, else unkeyed), which the collection never disposes. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinPostgresCollection<TKey, TRecord>(
        this IServiceCollection services, object? serviceKey, string name, PostgresCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        PostgresRegistration.Validate(options);
        return AddCollection<TKey, TRecord>(services, serviceKey, name, (sp, key) => PostgresRegistration.DataSourceFromContainer(sp, key, "AddKeyedAiAllinPostgresCollection"), _ => options, lifetime);
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on a pooled data source (with pgvector's mappings and the container's logger factory) that the registration builds from <paramref name="connectionString"/>, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="connectionString">The Npgsql connection string (pool size, TLS and timeouts are read from it); checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinPostgresCollection<TKey, TRecord>(
        this IServiceCollection services, object? serviceKey, string name, string connectionString, PostgresCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        PostgresNames.ValidateObjectName(name, nameof(name));
        PostgresRegistration.ValidateConnectionString(connectionString);
        PostgresRegistration.Validate(options);
        return AddCollection<TKey, TRecord>(services, serviceKey, name, PostgresRegistration.OwnedDataSource(services, _ => connectionString), _ => options, lifetime);
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on a pooled data source that the registration builds from the connection string <paramref name="connectionStringProvider"/> returns, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="connectionStringProvider">Returns the connection string, from the container (called once, when first needed).</param>
    /// <param name="optionsProvider">Builds the options from the container, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinPostgresCollection<TKey, TRecord>(
        this IServiceCollection services, object? serviceKey, string name, Func<IServiceProvider, string> connectionStringProvider, Func<IServiceProvider, PostgresCollectionOptions?>? optionsProvider = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        PostgresNames.ValidateObjectName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(connectionStringProvider);
        return AddCollection<TKey, TRecord>(services, serviceKey, name, PostgresRegistration.OwnedDataSource(services, connectionStringProvider), optionsProvider ?? (_ => null), lifetime);
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresCollection{TKey, TRecord}"/> over the table <paramref name="name"/>, also resolvable as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>, on the application's <paramref name="dataSource"/>. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="name">The collection (table) name, checked here.</param>
    /// <param name="dataSource">The application's data source; it needs no <c>UseVector()</c> and is never disposed by the collection.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinPostgresCollection<TKey, TRecord>(
        this IServiceCollection services, object? serviceKey, string name, NpgsqlDataSource dataSource, PostgresCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        PostgresRegistration.Validate(options);
        return AddCollection<TKey, TRecord>(services, serviceKey, name, (_, _) => dataSource, _ => options, lifetime);
    }

    private static IServiceCollection AddCollection<TKey, TRecord>(
        IServiceCollection services,
        object? serviceKey,
        string name,
        Func<IServiceProvider, object?, NpgsqlDataSource> dataSource,
        Func<IServiceProvider, PostgresCollectionOptions?> optionsProvider,
        ServiceLifetime lifetime)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(services);
        PostgresNames.ValidateObjectName(name, nameof(name));
        return VectorStoreRegistration.AddCollection<PostgresCollection<TKey, TRecord>, TKey, TRecord>(
            services,
            serviceKey,
            (sp, key) => new PostgresCollection<TKey, TRecord>(dataSource(sp, key), name, PostgresRegistration.CollectionOptions(sp, key, optionsProvider(sp))),
            lifetime);
    }
}
