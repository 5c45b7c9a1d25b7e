using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Core;

/// <summary>Registers the check that keeps unparsable tool-call arguments from reaching a kernel function.</summary>
public static class ToolCallArgumentsServiceCollectionExtensions
{
    /// <summary>
    /// Adds (once) the auto-function-invocation filter that fails a tool call whose arguments could not be parsed
    /// instead of invoking the kernel function with empty arguments, as Microsoft.Extensions.AI's function-invoking
    /// client does: the model gets an error result for that call. Every AiAllin provider registration adds it
    /// (through <see cref="ChatClients.ProviderChatClientServiceCollectionExtensions.AddProviderChatClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, string?, ProviderOptions, Func{Microsoft.Extensions.Logging.ILoggerFactory, HttpMessageHandler?, Microsoft.Extensions.AI.IChatClient})"/>).
    /// </summary>
    /// <param name="services">The services the kernel is built from.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddToolCallArgumentsCheck(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAutoFunctionInvocationFilter, ToolCallArgumentsFilter>());
        return services;
    }
}
