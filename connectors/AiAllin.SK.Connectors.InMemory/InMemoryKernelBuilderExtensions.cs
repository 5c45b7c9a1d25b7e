using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.InMemory.Sessions;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>Registers the in-memory vector store and chat history store on an <see cref="IKernelBuilder"/>.</summary>
public static class InMemoryKernelBuilderExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="InMemoryVectorStore"/>, also resolvable as <see cref="VectorStore"/>.
    /// See <see cref="InMemoryServiceCollectionExtensions.AddInMemoryVectorStore(Microsoft.Extensions.DependencyInjection.IServiceCollection, InMemoryVectorStoreOptions?)"/>.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="options">The store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddInMemoryVectorStore(this IKernelBuilder builder, InMemoryVectorStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddInMemoryVectorStore(options);
        return builder;
    }

    /// <summary>
    /// Registers a singleton <see cref="InMemoryChatHistoryStore"/>, also resolvable as <see cref="IChatHistoryStore"/>.
    /// See <see cref="InMemoryServiceCollectionExtensions.AddInMemoryChatHistoryStore(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{ChatHistoryStoreOptions}?)"/>.
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
