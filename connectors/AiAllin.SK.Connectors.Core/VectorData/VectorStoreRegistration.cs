using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Core.VectorData;

/// <summary>
/// The service registrations every vector store of the pack makes, the way the <c>Microsoft.Extensions.VectorData</c>
/// providers make them: the concrete type plus its abstractions, under one service key and one lifetime.
/// </summary>
public static class VectorStoreRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TStore"/> built by <paramref name="factory"/>, and <see cref="VectorStore"/> resolving to it.
    /// </summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for an unkeyed registration.</param>
    /// <param name="factory">Builds the store from the service provider and the service key.</param>
    /// <param name="lifetime">The lifetime of the store and of its abstraction.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddVectorStore<TStore>(
        IServiceCollection services, object? serviceKey, Func<IServiceProvider, object?, TStore> factory, ServiceLifetime lifetime)
        where TStore : VectorStore
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);

        services.Add(new ServiceDescriptor(typeof(TStore), serviceKey, (sp, key) => factory(sp, key), lifetime));
        services.Add(new ServiceDescriptor(typeof(VectorStore), serviceKey, static (sp, key) => sp.GetRequiredKeyedService<TStore>(key), lifetime));
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="TCollection"/> built by <paramref name="factory"/>, and
    /// <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and
    /// <see cref="IKeywordHybridSearchable{TRecord}"/> (when the collection implements it) resolving to it.
    /// </summary>
    /// <typeparam name="TCollection">The collection type.</typeparam>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for an unkeyed registration.</param>
    /// <param name="factory">Builds the collection from the service provider and the service key.</param>
    /// <param name="lifetime">The lifetime of the collection and of its abstractions.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddCollection<TCollection, TKey, TRecord>(
        IServiceCollection services, object? serviceKey, Func<IServiceProvider, object?, TCollection> factory, ServiceLifetime lifetime)
        where TCollection : VectorStoreCollection<TKey, TRecord>
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);

        services.Add(new ServiceDescriptor(typeof(TCollection), serviceKey, (sp, key) => factory(sp, key), lifetime));
        services.Add(new ServiceDescriptor(
            typeof(VectorStoreCollection<TKey, TRecord>), serviceKey, static (sp, key) => sp.GetRequiredKeyedService<TCollection>(key), lifetime));
        services.Add(new ServiceDescriptor(
            typeof(IVectorSearchable<TRecord>), serviceKey, static (sp, key) => sp.GetRequiredKeyedService<TCollection>(key), lifetime));
        if (typeof(IKeywordHybridSearchable<TRecord>).IsAssignableFrom(typeof(TCollection)))
        {
            services.Add(new ServiceDescriptor(
                typeof(IKeywordHybridSearchable<TRecord>), serviceKey, static (sp, key) => sp.GetRequiredKeyedService<TCollection>(key), lifetime));
        }

        return services;
    }

    /// <summary>
    /// Returns the embedding generator a registration falls back on when its options set none: the one registered under
    /// <paramref name="serviceKey"/> first, then the unkeyed one; the typed <c>string</c> to <c>float</c> generator before
    /// the untyped <see cref="IEmbeddingGenerator"/>.
    /// </summary>
    /// <param name="services">The service provider.</param>
    /// <param name="serviceKey">The registration's service key, or <see langword="null"/>.</param>
    /// <returns>The generator, or <see langword="null"/> when none is registered.</returns>
    public static IEmbeddingGenerator? EmbeddingGenerator(IServiceProvider services, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (serviceKey is not null && services is IKeyedServiceProvider keyed)
        {
            var keyedGenerator = (IEmbeddingGenerator?)keyed.GetKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(serviceKey)
                ?? keyed.GetKeyedService<IEmbeddingGenerator>(serviceKey);
            if (keyedGenerator is not null)
            {
                return keyedGenerator;
            }
        }

        return (IEmbeddingGenerator?)services.GetService<IEmbeddingGenerator<string, Embedding<float>>>()
            ?? services.GetService<IEmbeddingGenerator>();
    }
}
