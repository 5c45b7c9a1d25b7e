using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>Registers the PostgreSQL stores on an <see cref="IKernelBuilder"/>.</summary>
public static partial class PostgresKernelBuilderExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="PostgresVectorStore"/>, also resolvable as <see cref="VectorStore"/>. See
    /// <see cref="PostgresServiceCollectionExtensions.AddPostgresVectorStore(Microsoft.Extensions.DependencyInjection.IServiceCollection, string, PostgresVectorStoreOptions?)"/>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="options">The store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddPostgresVectorStore(this IKernelBuilder builder, string connectionString, PostgresVectorStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPostgresVectorStore(connectionString, options);
        return builder;
    }

    /// <summary>
    /// Registers a singleton <see cref="PostgresVectorStore"/> on the application's data source. See
    /// <see cref="PostgresServiceCollectionExtensions.AddPostgresVectorStore(Microsoft.Extensions.DependencyInjection.IServiceCollection, NpgsqlDataSource, PostgresVectorStoreOptions?)"/>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="dataSource">The data source.</param>
    /// <param name="options">The store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddPostgresVectorStore(this IKernelBuilder builder, NpgsqlDataSource dataSource, PostgresVectorStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPostgresVectorStore(dataSource, options);
        return builder;
    }
}
