using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Filters;

/// <summary>Registers the AiAllin filter pack on an <see cref="IServiceCollection"/>.</summary>
public static class FiltersServiceCollectionExtensions
{
    /// <summary>
    /// Registers the policies configured in <paramref name="configure"/>, in the order written: every
    /// <see cref="IChatClient"/> registered so far (keyed or not) is wrapped in the policies' chat layers, and their
    /// Semantic Kernel filters are added, so a policy holds for <c>kernel.InvokeAsync</c>,
    /// <c>InvokeStreamingAsync</c>, <c>InvokePromptStreamingAsync</c> and direct <see cref="IChatClient"/> calls alike.
    /// </summary>
    /// <param name="services">The services; register chat clients before calling this.</param>
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
                (sp, key) => builder.Wrap(sp, (IChatClient)CreateKeyed(descriptor, sp, key)),
                descriptor.Lifetime);
        }

        return new ServiceDescriptor(typeof(IChatClient), sp => builder.Wrap(sp, (IChatClient)Create(descriptor, sp)), descriptor.Lifetime);
    }

    private static object Create(ServiceDescriptor descriptor, IServiceProvider services) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    private static object CreateKeyed(ServiceDescriptor descriptor, IServiceProvider services, object? key) =>
        descriptor.KeyedImplementationInstance
        ?? descriptor.KeyedImplementationFactory?.Invoke(services, key)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.KeyedImplementationType!);
}
