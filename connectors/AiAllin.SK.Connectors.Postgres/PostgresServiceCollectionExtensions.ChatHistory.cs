using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.Postgres.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>Registers the PostgreSQL stores in an <see cref="IServiceCollection"/>.</summary>
public static partial class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="PostgresChatHistoryStore"/> on its own pooled data source, also resolvable as
    /// <see cref="IChatHistoryStore"/>, and the background service that deletes expired sessions.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentException">The connection string is empty, or the options are invalid (checked here, at registration).</exception>
    public static IServiceCollection AddPostgresChatHistoryStore(
        this IServiceCollection services, string connectionString, Action<PostgresChatHistoryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return AddChatHistoryStore(services, configure, options => new PostgresChatHistoryStore(connectionString, options));
    }

    /// <summary>
    /// Registers a singleton <see cref="PostgresChatHistoryStore"/> on the given data source (which the caller keeps
    /// owning), also resolvable as <see cref="IChatHistoryStore"/>, and the background service that deletes expired sessions.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="dataSource">The application's data source.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentException">The options are invalid (checked here, at registration).</exception>
    public static IServiceCollection AddPostgresChatHistoryStore(
        this IServiceCollection services, NpgsqlDataSource dataSource, Action<PostgresChatHistoryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataSource);
        return AddChatHistoryStore(services, configure, options => new PostgresChatHistoryStore(dataSource, options));
    }

    /// <summary>
    /// Registers a singleton <see cref="PostgresChatHistoryStore"/> on a data source taken from the container (which
    /// keeps owning it), also resolvable as <see cref="IChatHistoryStore"/>, and the background service that deletes
    /// expired sessions.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="dataSourceFactory">Returns the data source, for example <c>sp => sp.GetRequiredService&lt;NpgsqlDataSource&gt;()</c>.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentException">The options are invalid (checked here, at registration).</exception>
    public static IServiceCollection AddPostgresChatHistoryStore(
        this IServiceCollection services, Func<IServiceProvider, NpgsqlDataSource> dataSourceFactory, Action<PostgresChatHistoryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataSourceFactory);
        return AddChatHistoryStore(services, configure, (options, sp) => new PostgresChatHistoryStore(dataSourceFactory(sp), options));
    }

    private static IServiceCollection AddChatHistoryStore(
        IServiceCollection services, Action<PostgresChatHistoryStoreOptions>? configure, Func<PostgresChatHistoryStoreOptions, PostgresChatHistoryStore> create) =>
        AddChatHistoryStore(services, configure, (options, _) => create(options));

    private static IServiceCollection AddChatHistoryStore(
        IServiceCollection services,
        Action<PostgresChatHistoryStoreOptions>? configure,
        Func<PostgresChatHistoryStoreOptions, IServiceProvider, PostgresChatHistoryStore> create)
    {
        var options = new PostgresChatHistoryStoreOptions();
        configure?.Invoke(options);

        // Bad names or limits fail at registration, not on the first request.
        _ = new ChatTableNames(options.Schema, options.TablePrefix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMessageBytes, "options.MaxMessageBytes");
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");

        services.AddSingleton(sp => create(options.WithLoggerFactory(sp.GetService<ILoggerFactory>()), sp));
        services.AddSingleton<IChatHistoryStore>(sp => sp.GetRequiredService<PostgresChatHistoryStore>());
        if (options.CleanupInterval > TimeSpan.Zero)
        {
            services.AddHostedService(sp => new PostgresChatHistoryCleanupService(
                sp.GetRequiredService<PostgresChatHistoryStore>(),
                options.CleanupInterval,
                options.TimeProvider,
                sp.GetService<ILogger<PostgresChatHistoryCleanupService>>() ?? NullLogger<PostgresChatHistoryCleanupService>.Instance));
        }

        return services;
    }
}
