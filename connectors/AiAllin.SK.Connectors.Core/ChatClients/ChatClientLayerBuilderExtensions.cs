using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Connectors.Core.ChatClients;

/// <summary>Applies the registered <see cref="IChatClientLayerProvider"/>s in a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class ChatClientLayerBuilderExtensions
{
    /// <summary>
    /// Adds the layers of every registered <see cref="IChatClientLayerProvider"/> at this point of the pipeline (put
    /// it after <c>UseKernelFunctionInvocation</c> so the layers see each model call). Without any registered, the
    /// client is left as it is.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ChatClientBuilder UseRegisteredLayers(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var providers = services.GetServices<IChatClientLayerProvider>().ToList();
            if (providers.Count == 0)
            {
                return inner;
            }

            var client = inner;
            for (var i = providers.Count - 1; i >= 0; i--)
            {
                client = providers[i].Wrap(services, client);
            }

            return new RegisteredLayersChatClient(client);
        });
    }
}
