using AiAllin.SK.Connectors.Core.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Core.ChatClients;

/// <summary>Registers a provider's chat client the way every AiAllin provider does.</summary>
public static class ProviderChatClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="IChatClient"/> (keyed when <paramref name="serviceKey"/> is set) wrapped in
    /// Semantic Kernel's kernel-function invocation, so <c>FunctionChoiceBehavior.Auto()</c> runs kernel functions, with
    /// the registered <see cref="IChatClientLayerProvider"/>s placed between that tool loop and the provider, so each
    /// model call passes through them. Unparsable tool-call arguments never reach a function: the registration adds (once)
    /// the kernel filter of <see cref="ToolCallArgumentsServiceCollectionExtensions.AddToolCallArgumentsCheck"/> for kernel
    /// functions, and wraps plain <see cref="AIFunction"/>s passed in <see cref="ChatOptions.Tools"/> so such a call
    /// fails with its parse error instead of running.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <param name="options">The provider's validated options; a set <see cref="ProviderOptions.HttpClientName"/> sends requests through that named <see cref="HttpClient"/>.</param>
    /// <param name="createClient">
    /// Creates the provider's client from the logger factory it should log through and the inner handler to send through
    /// (<see langword="null"/>: the provider's own pooled handler). The handler is not the client's to dispose.
    /// </param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddProviderChatClient(
        this IServiceCollection services,
        string? serviceKey,
        ProviderOptions options,
        Func<ILoggerFactory, HttpMessageHandler?, IChatClient> createClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createClient);
        return services.AddProviderChatClient(serviceKey, (provider, loggerFactory) => createClient(loggerFactory, ProviderHttpHandlers.Resolve(provider, options)));
    }

    /// <summary>
    /// Registers a singleton embedding generator (keyed when <paramref name="serviceKey"/> is set) that sends through the
    /// named <see cref="HttpClient"/> of <see cref="ProviderOptions.HttpClientName"/> when one is set.
    /// </summary>
    /// <typeparam name="TInput">The generator's input type.</typeparam>
    /// <typeparam name="TEmbedding">The generator's embedding type.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <param name="options">The provider's validated options.</param>
    /// <param name="createGenerator">
    /// Creates the generator from the logger factory and the inner handler to send through
    /// (<see langword="null"/>: the provider's own pooled handler). The handler is not the generator's to dispose.
    /// </param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddProviderEmbeddingGenerator<TInput, TEmbedding>(
        this IServiceCollection services,
        string? serviceKey,
        ProviderOptions options,
        Func<ILoggerFactory, HttpMessageHandler?, IEmbeddingGenerator<TInput, TEmbedding>> createGenerator)
        where TEmbedding : Embedding
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createGenerator);
        return services.AddKeyedSingleton(serviceKey, (provider, _) => createGenerator(
            provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            ProviderHttpHandlers.Resolve(provider, options)));
    }

    private static IServiceCollection AddProviderChatClient(
        this IServiceCollection services,
        string? serviceKey,
        Func<IServiceProvider, ILoggerFactory, IChatClient> createClient)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddToolCallArgumentsCheck().AddKeyedSingleton<IChatClient>(serviceKey, (provider, _) =>
        {
            var loggerFactory = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            var client = createClient(provider, loggerFactory)
                .AsBuilder()
                .UseKernelFunctionInvocation(loggerFactory)
                .UseRegisteredLayers()
                .Build(provider);

            // SK's tool loop runs kernel filters only for kernel functions, and calls a plain AIFunction from
            // ChatOptions.Tools directly, with empty arguments when they did not parse; the guard covers those.
            return new ToolCallArgumentsGuardChatClient(client);
        });
    }
}
