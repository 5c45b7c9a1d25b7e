using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>Registers the PostgreSQL stores in an <see cref="IServiceCollection"/>.</summary>
public static partial class PostgresServiceCollectionExtensions
{
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
}
