using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// How the PostgreSQL registrations find their data source and options: a data source built from a connection string
/// belongs to the registration (one per registration, shared by every store or collection instance it gives, disposed
/// with the container); one taken from the container or passed in is never disposed by the store.
/// </summary>
internal static class PostgresRegistration
{
    /// <summary>Registers the data source a registration builds and owns; returns how to resolve it.</summary>
    public static Func<IServiceProvider, object?, NpgsqlDataSource> OwnedDataSource(
        IServiceCollection services, Func<IServiceProvider, string> connectionStringProvider)
    {
        ArgumentNullException.ThrowIfNull(connectionStringProvider);

        // A private key no application code can know, so the application's own NpgsqlDataSource registrations never see it.
        var ownKey = new object();
        services.AddKeyedSingleton(ownKey, (sp, _) =>
        {
            var connectionString = connectionStringProvider(sp);
            ArgumentException.ThrowIfNullOrWhiteSpace(connectionString, nameof(connectionStringProvider));
            return new Owned(PostgresVectorStore.CreateDataSource(connectionString, sp.GetService<ILoggerFactory>()));
        });
        return (sp, _) => sp.GetRequiredKeyedService<Owned>(ownKey).DataSource;
    }

    /// <summary>Resolves the application's data source: the one under the registration's key first, then the unkeyed one.</summary>
    public static NpgsqlDataSource DataSourceFromContainer(IServiceProvider services, object? serviceKey, string method)
        => (serviceKey is not null ? services.GetKeyedService<NpgsqlDataSource>(serviceKey) : null)
            ?? services.GetService<NpgsqlDataSource>()
            ?? throw new InvalidOperationException(
                $"{method} without a connection string or data source takes the NpgsqlDataSource registered in the container " +
                "(under the same service key, or unkeyed), and none is registered. Register one, or pass a connection string.");

    public static void ValidateConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _ = new NpgsqlConnectionStringBuilder(connectionString);
    }

    public static void Validate(PostgresVectorStoreOptions? options)
    {
        if (options is not null)
        {
            PostgresNames.ValidateObjectName(options.Schema, nameof(options));
            PostgresNames.ValidateTextSearchConfiguration(options.TextSearchConfiguration);
        }
    }

    public static void Validate(PostgresCollectionOptions? options)
    {
        if (options is not null)
        {
            PostgresNames.ValidateObjectName(options.Schema, nameof(options));
            PostgresNames.ValidateTextSearchConfiguration(options.TextSearchConfiguration);
        }
    }

    /// <summary>A copy of the options (the caller's object is never changed) with the container's embedding generator when they set none.</summary>
    public static PostgresVectorStoreOptions StoreOptions(IServiceProvider services, object? serviceKey, PostgresVectorStoreOptions? options) => new()
    {
        Schema = options?.Schema ?? "public",
        TextSearchConfiguration = options?.TextSearchConfiguration ?? "english",
        EmbeddingGenerator = options?.EmbeddingGenerator ?? VectorStoreRegistration.EmbeddingGenerator(services, serviceKey),
    };

    /// <summary>A copy of the options with the container's embedding generator when they set none.</summary>
    public static PostgresCollectionOptions CollectionOptions(IServiceProvider services, object? serviceKey, PostgresCollectionOptions? options)
    {
        var copy = options?.Clone() ?? new PostgresCollectionOptions();
        copy.EmbeddingGenerator ??= VectorStoreRegistration.EmbeddingGenerator(services, serviceKey);
        return copy;
    }

    /// <summary>The data source a registration built, disposed by the container that holds it.</summary>
    internal sealed class Owned(NpgsqlDataSource dataSource) : IDisposable, IAsyncDisposable
    {
        public NpgsqlDataSource DataSource { get; } = dataSource;

        public void Dispose() => DataSource.Dispose();

        public ValueTask DisposeAsync() => DataSource.DisposeAsync();
    }
}
