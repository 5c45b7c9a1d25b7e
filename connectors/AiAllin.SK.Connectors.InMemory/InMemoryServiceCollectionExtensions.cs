using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.InMemory.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>Registers the in-memory vector store and chat history store in an <see cref="IServiceCollection"/>.</summary>
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
}
