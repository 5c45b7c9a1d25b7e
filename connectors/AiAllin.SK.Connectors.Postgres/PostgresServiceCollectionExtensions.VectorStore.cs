using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>Registers the PostgreSQL stores in an <see cref="IServiceCollection"/>.</summary>
public static partial class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on the <see cref="NpgsqlDataSource"/> registered in the container (under the same service key, else unkeyed), which the store never disposes. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinPostgresVectorStore(
        this IServiceCollection services, PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        PostgresRegistration.Validate(options);
        return AddStore(services, serviceKey: null, (sp, key) => PostgresRegistration.DataSourceFromContainer(sp, key, "AddAiAllinPostgresVectorStore"), _ => options, lifetime);
    }

    /// <summary>
    /// Registers a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on a pooled data source (with pgvector's mappings and the container's logger factory) that the registration builds from <paramref name="connectionString"/>, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">The Npgsql connection string (pool size, TLS and timeouts are read from it); checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinPostgresVectorStore(
        this IServiceCollection services, string connectionString, PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        PostgresRegistration.ValidateConnectionString(connectionString);
        PostgresRegistration.Validate(options);
        return AddStore(services, serviceKey: null, PostgresRegistration.OwnedDataSource(services, _ => connectionString), _ => options, lifetime);
    }

    /// <summary>
    /// Registers a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on a pooled data source that the registration builds from the connection string <paramref name="connectionStringProvider"/> returns, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionStringProvider">Returns the connection string, from the container (called once, when first needed).</param>
    /// <param name="optionsProvider">Builds the options from the container, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinPostgresVectorStore(
        this IServiceCollection services, Func<IServiceProvider, string> connectionStringProvider, Func<IServiceProvider, PostgresVectorStoreOptions?>? optionsProvider = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(connectionStringProvider);
        return AddStore(services, serviceKey: null, PostgresRegistration.OwnedDataSource(services, connectionStringProvider), optionsProvider ?? (_ => null), lifetime);
    }

    /// <summary>
    /// Registers a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on the application's <paramref name="dataSource"/>. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="dataSource">The application's data source; it needs no <c>UseVector()</c> and is never disposed by the store.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinPostgresVectorStore(
        this IServiceCollection services, NpgsqlDataSource dataSource, PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        PostgresRegistration.Validate(options);
        return AddStore(services, serviceKey: null, (_, _) => dataSource, _ => options, lifetime);
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on the <see cref="NpgsqlDataSource"/> registered in the container (under the same service key, else unkeyed), which the store never disposes. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinPostgresVectorStore(
        this IServiceCollection services, object? serviceKey, PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        PostgresRegistration.Validate(options);
        return AddStore(services, serviceKey, (sp, key) => PostgresRegistration.DataSourceFromContainer(sp, key, "AddKeyedAiAllinPostgresVectorStore"), _ => options, lifetime);
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on a pooled data source (with pgvector's mappings and the container's logger factory) that the registration builds from <paramref name="connectionString"/>, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="connectionString">The Npgsql connection string (pool size, TLS and timeouts are read from it); checked here.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinPostgresVectorStore(
        this IServiceCollection services, object? serviceKey, string connectionString, PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        PostgresRegistration.ValidateConnectionString(connectionString);
        PostgresRegistration.Validate(options);
        return AddStore(services, serviceKey, PostgresRegistration.OwnedDataSource(services, _ => connectionString), _ => options, lifetime);
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on a pooled data source that the registration builds from the connection string <paramref name="connectionStringProvider"/> returns, shares between every instance it gives, and disposes with the container. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="connectionStringProvider">Returns the connection string, from the container (called once, when first needed).</param>
    /// <param name="optionsProvider">Builds the options from the container, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinPostgresVectorStore(
        this IServiceCollection services, object? serviceKey, Func<IServiceProvider, string> connectionStringProvider, Func<IServiceProvider, PostgresVectorStoreOptions?>? optionsProvider = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(connectionStringProvider);
        return AddStore(services, serviceKey, PostgresRegistration.OwnedDataSource(services, connectionStringProvider), optionsProvider ?? (_ => null), lifetime);
    }

    /// <summary>
    /// Registers under <paramref name="serviceKey"/> a <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>, on the application's <paramref name="dataSource"/>. Options that set no embedding generator take the one registered in the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key of every service this registers.</param>
    /// <param name="dataSource">The application's data source; it needs no <c>UseVector()</c> and is never disposed by the store.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store (scoped and transient give a new instance per scope or resolution; they share the data source). Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinPostgresVectorStore(
        this IServiceCollection services, object? serviceKey, NpgsqlDataSource dataSource, PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        PostgresRegistration.Validate(options);
        return AddStore(services, serviceKey, (_, _) => dataSource, _ => options, lifetime);
    }

    private static IServiceCollection AddStore(
        IServiceCollection services,
        object? serviceKey,
        Func<IServiceProvider, object?, NpgsqlDataSource> dataSource,
        Func<IServiceProvider, PostgresVectorStoreOptions?> optionsProvider,
        ServiceLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(services);
        return VectorStoreRegistration.AddVectorStore(
            services,
            serviceKey,
            (sp, key) => new PostgresVectorStore(dataSource(sp, key), PostgresRegistration.StoreOptions(sp, key, optionsProvider(sp))),
            lifetime);
    }
}
