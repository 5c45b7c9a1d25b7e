using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Connectors.Core.Http;

/// <summary>Finds the transport a provider registered in dependency injection should send through.</summary>
public static class ProviderHttpHandlers
{
    /// <summary>
    /// Returns a handler that sends through the named <see cref="HttpClient"/> of
    /// <see cref="ProviderOptions.HttpClientName"/>, or <see langword="null"/> when no name is set (the provider then
    /// uses its own pooled handler).
    /// </summary>
    /// <param name="services">The service provider the provider is being resolved from.</param>
    /// <param name="options">The provider's options.</param>
    /// <returns>The handler to pass as the provider's inner handler, or <see langword="null"/>.</returns>
    /// <exception cref="InvalidOperationException">A name is set but no <see cref="IHttpMessageHandlerFactory"/> is registered.</exception>
    public static HttpMessageHandler? Resolve(IServiceProvider services, ProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (options.HttpClientName is not { } name)
        {
            return null;
        }

        var factory = services.GetService<IHttpMessageHandlerFactory>()
            ?? throw new InvalidOperationException(
                $"HttpClientName is '{name}' but no IHttpClientFactory is registered; call services.AddHttpClient(\"{name}\") (from Microsoft.Extensions.Http) before resolving the provider.");
        return new HttpClientFactoryHandler(factory, name);
    }
}
