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
    /// model call passes through them. Also adds (once) the check that keeps unparsable tool-call arguments from
    /// reaching a kernel function (<see cref="ToolCallArgumentsServiceCollectionExtensions.AddToolCallArgumentsCheck"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <param name="createClient">Creates the provider's client, given the logger factory it should log through.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddProviderChatClient(
        this IServiceCollection services,
        string? serviceKey,
        Func<ILoggerFactory, IChatClient> createClient)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(createClient);
        return services.AddToolCallArgumentsCheck().AddKeyedSingleton<IChatClient>(serviceKey, (provider, _) =>
        {
            var loggerFactory = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            return createClient(loggerFactory)
                .AsBuilder()
                .UseKernelFunctionInvocation(loggerFactory)
                .UseRegisteredLayers()
                .Build(provider);
        });
    }
}
