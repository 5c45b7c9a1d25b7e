using AiAllin.SK.Filters.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters;

/// <summary>Adds the AiAllin fallback to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class FallbackChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="FallbackChatClient"/> that repeats failed calls on another client and/or model.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Names the fallback; the options are validated here.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinFallback(this ChatClientBuilder builder, Action<FallbackOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = Configure(configure);
        return builder.Use((inner, services) => Create(inner, options, services));
    }

    internal static FallbackOptions Configure(Action<FallbackOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new FallbackOptions();
        configure(options);
        _ = new FallbackPolicy(options);
        return options;
    }

    internal static FallbackChatClient Create(IChatClient inner, FallbackOptions options, IServiceProvider services)
        => new(inner, new FallbackPolicy(options, services.GetService<ILoggerFactory>()?.CreateLogger<FallbackPolicy>()), services);
}
