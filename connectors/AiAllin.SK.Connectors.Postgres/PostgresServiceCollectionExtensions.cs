using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>Registers the PostgreSQL stores in an <see cref="IServiceCollection"/>.</summary>
public static partial class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="PostgresVectorStore"/> (also resolvable as <see cref="VectorStore"/>) that builds
    /// and owns one pooled data source, with pgvector's type mappings, from <paramref name="connectionString"/>.
    /// When <paramref name="options"/> sets no embedding generator, the registered <see cref="IEmbeddingGenerator"/> (if any) is used.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">The Npgsql connection string (pool size, TLS and timeouts are read from it).</param>
    /// <param name="options">The store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddPostgresVectorStore(this IServiceCollection services, string connectionString, PostgresVectorStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _ = new NpgsqlConnectionStringBuilder(connectionString);

        services.AddSingleton(sp => new PostgresVectorStore(connectionString, WithGenerator(sp, options)));
        services.AddSingleton<VectorStore>(sp => sp.GetRequiredService<PostgresVectorStore>());
        return services;
    }

    /// <summary>
    /// Registers a singleton <see cref="PostgresVectorStore"/> (also resolvable as <see cref="VectorStore"/>) on the
    /// application's data source, which the store does not dispose. The data source needs no <c>UseVector()</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="dataSource">The data source.</param>
    /// <param name="options">The store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddPostgresVectorStore(this IServiceCollection services, NpgsqlDataSource dataSource, PostgresVectorStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataSource);

        services.AddSingleton(sp => new PostgresVectorStore(dataSource, WithGenerator(sp, options)));
        services.AddSingleton<VectorStore>(sp => sp.GetRequiredService<PostgresVectorStore>());
        return services;
    }

    /// <summary>
    /// Registers <see cref="PostgresExpiryCleanupService"/> as an <see cref="IHostedService"/> that purges the expired
    /// records of the registered <see cref="PostgresVectorStore"/> every <paramref name="interval"/> (default: 5 minutes).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="interval">The time between purges.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddPostgresExpiryCleanup(this IServiceCollection services, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var every = interval ?? TimeSpan.FromMinutes(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero, nameof(interval));

        services.AddSingleton<IHostedService>(sp => new PostgresExpiryCleanupService(
            sp.GetRequiredService<PostgresVectorStore>(), every, sp.GetService<ILogger<PostgresExpiryCleanupService>>()));
        return services;
    }

    private static PostgresVectorStoreOptions WithGenerator(IServiceProvider services, PostgresVectorStoreOptions? options) => new()
    {
        Schema = options?.Schema ?? "public",
        TextSearchConfiguration = options?.TextSearchConfiguration ?? "english",
        EmbeddingGenerator = options?.EmbeddingGenerator
            ?? services.GetService<IEmbeddingGenerator<string, Embedding<float>>>()
            ?? services.GetService<IEmbeddingGenerator>(),
    };
}
