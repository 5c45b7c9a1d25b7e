using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.InMemory.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// Registers the in-memory vector store and chat history store on an <see cref="IKernelBuilder"/>; each method forwards
/// to its <see cref="InMemoryServiceCollectionExtensions"/> namesake.
/// </summary>
public static class InMemoryKernelBuilderExtensions
{
    /// <summary>Registers an <see cref="InMemoryVectorStore"/>, also resolvable as <see cref="VectorStore"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="options">The store options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinInMemoryVectorStore(
        this IKernelBuilder builder, InMemoryVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinInMemoryVectorStore(options, lifetime);
        return builder;
    }

    /// <summary>Registers an <see cref="InMemoryVectorStore"/> under <paramref name="serviceKey"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceKey">The service key.</param>
    /// <param name="options">The store options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the store. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddKeyedAiAllinInMemoryVectorStore(
        this IKernelBuilder builder, object? serviceKey, InMemoryVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedAiAllinInMemoryVectorStore(serviceKey, options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers an <see cref="InMemoryCollection{TKey, TRecord}"/>, also as <see cref="VectorStoreCollection{TKey, TRecord}"/>,
    /// <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="options">The collection options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinInMemoryCollection<TKey, TRecord>(
        this IKernelBuilder builder, string name, InMemoryCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinInMemoryCollection<TKey, TRecord>(name, options, lifetime);
        return builder;
    }

    /// <summary>Registers an <see cref="InMemoryCollection{TKey, TRecord}"/> under <paramref name="serviceKey"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceKey">The service key.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="options">The collection options, or <see langword="null"/> for the defaults.</param>
    /// <param name="lifetime">The lifetime of the collection. Defaults to <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddKeyedAiAllinInMemoryCollection<TKey, TRecord>(
        this IKernelBuilder builder, object? serviceKey, string name, InMemoryCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedAiAllinInMemoryCollection<TKey, TRecord>(serviceKey, name, options, lifetime);
        return builder;
    }

    /// <summary>
    /// Registers a singleton <see cref="InMemoryChatHistoryStore"/>, also resolvable as <see cref="IChatHistoryStore"/>.
    /// See <see cref="InMemoryServiceCollectionExtensions.AddInMemoryChatHistoryStore(IServiceCollection, Action{ChatHistoryStoreOptions}?)"/>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddInMemoryChatHistoryStore(this IKernelBuilder builder, Action<ChatHistoryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddInMemoryChatHistoryStore(configure);
        return builder;
    }
}
