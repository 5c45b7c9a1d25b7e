using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.Core.VectorData;
using AiAllin.SK.Connectors.InMemory.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>Registers the in-memory vector store and chat history store in an <see cref="IServiceCollection"/>.</summary>
public static class InMemoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="InMemoryVectorStore"/>, also resolvable as <see cref="VectorStore"/>. Every store instance of
    /// this registration (a new one per scope or resolution for the scoped and transient lifetimes) holds the same
    /// collections, which live as long as the container. When the options set no embedding generator, the
    /// <see cref="IEmbeddingGenerator"/> registered in the container (if any) is used.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The store options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinInMemoryVectorStore(
        this IServiceCollection services, InMemoryVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        => AddStore(services, serviceKey: null, _ => options, lifetime);

    /// <summary>
    /// Registers an <see cref="InMemoryVectorStore"/> under <paramref name="serviceKey"/>, also resolvable as a keyed
    /// <see cref="VectorStore"/>. When the options set no embedding generator, the generator registered under the same
    /// key, else the unkeyed one (if any), is used.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key.</param>
    /// <param name="options">The store options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinInMemoryVectorStore(
        this IServiceCollection services, object? serviceKey, InMemoryVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        => AddStore(services, serviceKey, _ => options, lifetime);

    /// <summary>
    /// Registers an <see cref="InMemoryCollection{TKey, TRecord}"/> named <paramref name="name"/>, also resolvable as
    /// <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and
    /// <see cref="IKeywordHybridSearchable{TRecord}"/>. The collection has its own storage, shared by every instance of
    /// this registration and living as long as the container. When the options set no embedding generator, the
    /// <see cref="IEmbeddingGenerator"/> registered in the container (if any) is used.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="options">The collection options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddAiAllinInMemoryCollection<TKey, TRecord>(
        this IServiceCollection services, string name, InMemoryCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
        => AddCollection<TKey, TRecord>(services, serviceKey: null, name, _ => options, lifetime);

    /// <summary>
    /// Registers an <see cref="InMemoryCollection{TKey, TRecord}"/> named <paramref name="name"/> under
    /// <paramref name="serviceKey"/>, also as keyed <see cref="VectorStoreCollection{TKey, TRecord}"/>,
    /// <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="options">The collection options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddKeyedAiAllinInMemoryCollection<TKey, TRecord>(
        this IServiceCollection services, object? serviceKey, string name, InMemoryCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
        => AddCollection<TKey, TRecord>(services, serviceKey, name, _ => options, lifetime);

    /// <summary>
    /// Registers a singleton <see cref="InMemoryChatHistoryStore"/>, also resolvable as <see cref="IChatHistoryStore"/>.
    /// Unless <paramref name="configure"/> sets another clock, the <see cref="TimeProvider"/> registered in the container
    /// (if any) is used.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentException">The options are invalid (checked here, at registration).</exception>
    public static IServiceCollection AddInMemoryChatHistoryStore(this IServiceCollection services, Action<ChatHistoryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = new ChatHistoryStoreOptions();
        configure?.Invoke(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMessageBytes, "options.MaxMessageBytes");
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        var clockConfigured = options.TimeProvider != TimeProvider.System;

        services.AddSingleton(sp => new InMemoryChatHistoryStore(new ChatHistoryStoreOptions
        {
            MaxMessageBytes = options.MaxMessageBytes,
            ContentProtector = options.ContentProtector,
            TimeProvider = clockConfigured ? options.TimeProvider : sp.GetService<TimeProvider>() ?? TimeProvider.System,
        }));
        services.AddSingleton<IChatHistoryStore>(sp => sp.GetRequiredService<InMemoryChatHistoryStore>());
        return services;
    }

    private static IServiceCollection AddStore(
        IServiceCollection services, object? serviceKey, Func<IServiceProvider, InMemoryVectorStoreOptions?> optionsProvider, ServiceLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(services);

        // The storage belongs to the registration, so scoped and transient store instances see one set of collections.
        var storage = InMemoryVectorStore.NewStorage();
        return VectorStoreRegistration.AddVectorStore(
            services,
            serviceKey,
            (sp, key) =>
            {
                var options = optionsProvider(sp);
                return new InMemoryVectorStore(
                    new InMemoryVectorStoreOptions { EmbeddingGenerator = options?.EmbeddingGenerator ?? VectorStoreRegistration.EmbeddingGenerator(sp, key) },
                    storage);
            },
            lifetime);
    }

    private static IServiceCollection AddCollection<TKey, TRecord>(
        IServiceCollection services, object? serviceKey, string name, Func<IServiceProvider, InMemoryCollectionOptions?> optionsProvider, ServiceLifetime lifetime)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(services);
        CollectionNames.Validate(name, nameof(name));

        var storage = InMemoryVectorStore.NewStorage();
        return VectorStoreRegistration.AddCollection<InMemoryCollection<TKey, TRecord>, TKey, TRecord>(
            services,
            serviceKey,
            (sp, key) =>
            {
                var options = optionsProvider(sp);
                return new InMemoryCollection<TKey, TRecord>(
                    storage,
                    name,
                    InMemoryCollection<TKey, TRecord>.BuildTypedModel,
                    new InMemoryCollectionOptions
                    {
                        Definition = options?.Definition,
                        EmbeddingGenerator = options?.EmbeddingGenerator ?? VectorStoreRegistration.EmbeddingGenerator(sp, key),
                    });
            },
            lifetime);
    }
}
