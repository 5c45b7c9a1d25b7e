using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.ChatClients;

/// <summary>
/// Middleware registered in the service container that AiAllin provider registrations place between Semantic
/// Kernel's tool loop and the provider's client, so each model call (not the whole tool loop) passes through it.
/// </summary>
/// <remarks>
/// <c>AddAiAllinFilters</c> registers one. Provider registrations apply every registered layer provider with
/// <see cref="ChatClientLayerBuilderExtensions.UseRegisteredLayers"/>, in registration order (the first registered is
/// outermost), when the client is first resolved.
/// </remarks>
public interface IChatClientLayerProvider
{
    /// <summary>Wraps a provider's client in this provider's layers.</summary>
    /// <param name="services">The service provider the client is resolved from.</param>
    /// <param name="inner">The provider's client.</param>
    /// <returns>The wrapped client.</returns>
    IChatClient Wrap(IServiceProvider services, IChatClient inner);
}
