using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>Registers the in-memory vector store in an <see cref="IServiceCollection"/>.</summary>
public static class InMemoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="InMemoryVectorStore"/>, also resolvable as <see cref="VectorStore"/>. When
    /// <paramref name="options"/> sets no embedding generator, the <see cref="IEmbeddingGenerator"/> registered in the
    /// container (if any) is used.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddInMemoryVectorStore(this IServiceCollection services, InMemoryVectorStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddSingleton(sp => new InMemoryVectorStore(new InMemoryVectorStoreOptions
        {
            EmbeddingGenerator = options?.EmbeddingGenerator
                ?? sp.GetService<IEmbeddingGenerator<string, Embedding<float>>>()
                ?? sp.GetService<IEmbeddingGenerator>(),
        }));
        services.AddSingleton<VectorStore>(sp => sp.GetRequiredService<InMemoryVectorStore>());
        return services;
    }
}
