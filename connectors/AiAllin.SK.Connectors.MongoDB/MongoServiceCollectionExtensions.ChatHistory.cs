using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.MongoDB.Sessions;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>Registers the MongoDB chat-history store in an <see cref="IServiceCollection"/>.</summary>
public static partial class MongoServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="MongoChatHistoryStore"/>, also resolvable as <see cref="IChatHistoryStore"/>, on a
    /// <see cref="MongoClient"/> the registration builds from <paramref name="connectionString"/> and disposes with the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">The MongoDB connection string; parsed here.</param>
    /// <param name="databaseName">The database that holds the <c>chat_sessions</c> and <c>chat_messages</c> collections.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddMongoChatHistoryStore(
        this IServiceCollection services, string connectionString, string databaseName, Action<ChatHistoryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = MongoRegistration.Settings(connectionString);
        var database = MongoRegistration.OwnedDatabase(services, _ => settings, databaseName);
        return AddChatHistoryStore(services, sp => database(sp, null), configure);
    }

    /// <summary>
    /// Registers a singleton <see cref="MongoChatHistoryStore"/>, also resolvable as <see cref="IChatHistoryStore"/>, on
    /// the <see cref="IMongoDatabase"/> registered in the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddMongoChatHistoryStore(this IServiceCollection services, Action<ChatHistoryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddChatHistoryStore(services, sp => MongoRegistration.DatabaseFromContainer(sp, null, nameof(AddMongoChatHistoryStore)), configure);
    }

    private static IServiceCollection AddChatHistoryStore(
        IServiceCollection services, Func<IServiceProvider, IMongoDatabase> database, Action<ChatHistoryStoreOptions>? configure)
    {
        var options = new ChatHistoryStoreOptions();
        configure?.Invoke(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMessageBytes, "options.MaxMessageBytes");
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        var clockConfigured = options.TimeProvider != TimeProvider.System;

        services.AddSingleton(sp => new MongoChatHistoryStore(database(sp), new ChatHistoryStoreOptions
        {
            MaxMessageBytes = options.MaxMessageBytes,
            ContentProtector = options.ContentProtector,
            TimeProvider = clockConfigured ? options.TimeProvider : sp.GetService<TimeProvider>() ?? TimeProvider.System,
        }));
        services.AddSingleton<IChatHistoryStore>(sp => sp.GetRequiredService<MongoChatHistoryStore>());
        return services;
    }
}
