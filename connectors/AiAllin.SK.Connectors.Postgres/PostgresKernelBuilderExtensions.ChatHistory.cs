using AiAllin.SK.Connectors.Postgres.Sessions;
using Microsoft.SemanticKernel;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>Registers the PostgreSQL stores on an <see cref="IKernelBuilder"/>.</summary>
public static partial class PostgresKernelBuilderExtensions
{
    /// <summary>
    /// Registers the PostgreSQL chat history store on its own pooled data source. See
    /// <see cref="PostgresServiceCollectionExtensions.AddPostgresChatHistoryStore(Microsoft.Extensions.DependencyInjection.IServiceCollection, string, Action{PostgresChatHistoryStoreOptions}?)"/>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddPostgresChatHistoryStore(
        this IKernelBuilder builder, string connectionString, Action<PostgresChatHistoryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPostgresChatHistoryStore(connectionString, configure);
        return builder;
    }

    /// <summary>
    /// Registers the PostgreSQL chat history store on the given data source. See
    /// <see cref="PostgresServiceCollectionExtensions.AddPostgresChatHistoryStore(Microsoft.Extensions.DependencyInjection.IServiceCollection, NpgsqlDataSource, Action{PostgresChatHistoryStoreOptions}?)"/>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="dataSource">The application's data source.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddPostgresChatHistoryStore(
        this IKernelBuilder builder, NpgsqlDataSource dataSource, Action<PostgresChatHistoryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPostgresChatHistoryStore(dataSource, configure);
        return builder;
    }

    /// <summary>
    /// Registers the PostgreSQL chat history store on a data source taken from the container. See
    /// <see cref="PostgresServiceCollectionExtensions.AddPostgresChatHistoryStore(Microsoft.Extensions.DependencyInjection.IServiceCollection, Func{IServiceProvider, NpgsqlDataSource}, Action{PostgresChatHistoryStoreOptions}?)"/>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="dataSourceFactory">Returns the data source.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddPostgresChatHistoryStore(
        this IKernelBuilder builder, Func<IServiceProvider, NpgsqlDataSource> dataSourceFactory, Action<PostgresChatHistoryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPostgresChatHistoryStore(dataSourceFactory, configure);
        return builder;
    }
}
