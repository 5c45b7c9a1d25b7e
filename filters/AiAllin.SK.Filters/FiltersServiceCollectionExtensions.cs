using AiAllin.SK.Connectors.Core.ChatClients;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Filters;

/// <summary>Registers the AiAllin filter pack on an <see cref="IServiceCollection"/>.</summary>
public static class FiltersServiceCollectionExtensions
{
    /// <summary>
    /// Registers the policies configured in <paramref name="configure"/>, in the order written, and their Semantic
    /// Kernel filters, so a policy holds for <c>kernel.InvokeAsync</c>, <c>InvokeStreamingAsync</c>,
    /// <c>InvokePromptStreamingAsync</c> and direct <see cref="IChatClient"/> calls alike.
    /// </summary>
    /// <remarks>
    /// AiAllin provider clients (OpenAI, Azure OpenAI, Groq, Anthropic, Ollama…), registered before or after this
    /// call, put the policies' chat layers between Semantic Kernel's tool loop and the provider, so every model call
    /// of a tool loop is logged, limited, cached, timed and retried on its own, and a retry never re-runs tools. Any
    /// other <see cref="IChatClient"/> registered before this call (keyed or not) is wrapped as a whole.
    /// </remarks>
    /// <param name="services">The services; register other chat clients before calling this.</param>
    /// <param name="configure">Adds policies, for example <c>f =&gt; f.UseLogging().UseRateLimit(...)</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddAiAllinFilters(this IServiceCollection services, Action<AiAllinFiltersBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new AiAllinFiltersBuilder(services);
        configure(builder);

        if (builder.ChatLayers.Count > 0)
        {
            services.AddSingleton<IChatClientLayerProvider>(new FiltersLayerProvider(builder));
            for (var i = 0; i < services.Count; i++)
            {
                var descriptor = services[i];
                if (descriptor.ServiceType == typeof(IChatClient))
                {
                    services[i] = Decorate(descriptor, builder);
                }
            }
        }

        foreach (var factory in builder.FunctionFilters)
        {
            services.AddSingleton(factory);
        }

        foreach (var factory in builder.PromptRenderFilters)
        {
            services.AddSingleton(factory);
        }

        foreach (var factory in builder.AutoFunctionFilters)
        {
            services.AddSingleton(factory);
        }

        return services;
    }

    private static ServiceDescriptor Decorate(ServiceDescriptor descriptor, AiAllinFiltersBuilder builder)
    {
        if (descriptor.IsKeyedService)
        {
            return new ServiceDescriptor(
                typeof(IChatClient),
                descriptor.ServiceKey,
                (sp, key) => WrapUnlessLayered(builder, sp, (IChatClient)CreateKeyed(descriptor, sp, key)),
                descriptor.Lifetime);
        }

        return new ServiceDescriptor(typeof(IChatClient), sp => WrapUnlessLayered(builder, sp, (IChatClient)Create(descriptor, sp)), descriptor.Lifetime);
    }

    // A client whose registration already applied the registered layers (inside its tool loop) must not get them twice.
    private static IChatClient WrapUnlessLayered(AiAllinFiltersBuilder builder, IServiceProvider services, IChatClient client) =>
        client.GetService<RegisteredLayersChatClient>() is not null ? client : builder.Wrap(services, client);

    private static object Create(ServiceDescriptor descriptor, IServiceProvider services) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    private static object CreateKeyed(ServiceDescriptor descriptor, IServiceProvider services, object? key) =>
        descriptor.KeyedImplementationInstance
        ?? descriptor.KeyedImplementationFactory?.Invoke(services, key)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.KeyedImplementationType!);
}
