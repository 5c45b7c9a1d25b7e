using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// What a store's test project provides so that <see cref="DependencyInjectionConformance{TKey}"/> can run against it:
/// each method calls the store's own <c>Add…</c> method when <c>serviceKey</c> is <see langword="null"/>, and its
/// <c>AddKeyed…</c> method otherwise.
/// </summary>
public interface IVectorStoreRegistrations
{
    /// <summary>Gets the concrete store type the registration also resolves as.</summary>
    Type StoreType { get; }

    /// <summary>Gets the concrete collection type of <typeparamref name="TKey"/> and <typeparamref name="TRecord"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    Type CollectionType<TKey, TRecord>()
        where TKey : notnull
        where TRecord : class;

    /// <summary>Registers the store with options whose embedding generator is <paramref name="embeddingGenerator"/> (none: the container's).</summary>
    void AddVectorStore(IServiceCollection services, object? serviceKey, IEmbeddingGenerator? embeddingGenerator, ServiceLifetime lifetime);

    /// <summary>Registers a collection named <paramref name="name"/>, with the definition and embedding generator in its options.</summary>
    void AddCollection<TKey, TRecord>(
        IServiceCollection services,
        object? serviceKey,
        string name,
        VectorStoreCollectionDefinition? definition,
        IEmbeddingGenerator? embeddingGenerator,
        ServiceLifetime lifetime)
        where TKey : notnull
        where TRecord : class;
}
