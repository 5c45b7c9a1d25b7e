using AiAllin.SK.Filters.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters;

/// <summary>Adds the AiAllin circuit breaker to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class CircuitBreakerChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="CircuitBreakingChatClient"/>; each client built gets its own circuit.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the defaults; the options are validated here.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinCircuitBreaker(this ChatClientBuilder builder, Action<CircuitBreakerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = Configure(configure);
        return builder.Use((inner, services) => Create(inner, options, services));
    }

    /// <summary>Adds a <see cref="CircuitBreakingChatClient"/> on the given circuit (for example one shared by two pipelines to the same provider).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="policy">The circuit.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinCircuitBreaker(this ChatClientBuilder builder, CircuitBreakerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(policy);
        return builder.Use((inner, services) => new CircuitBreakingChatClient(inner, policy, services.GetService<ILoggerFactory>()?.CreateLogger<CircuitBreakingChatClient>()));
    }

    internal static CircuitBreakerOptions Configure(Action<CircuitBreakerOptions>? configure)
    {
        var options = new CircuitBreakerOptions();
        configure?.Invoke(options);
        _ = new CircuitBreakerPolicy(options);
        return options;
    }

    internal static CircuitBreakingChatClient Create(IChatClient inner, CircuitBreakerOptions options, IServiceProvider services)
    {
        var loggers = services.GetService<ILoggerFactory>();
        return new CircuitBreakingChatClient(inner, new CircuitBreakerPolicy(options, loggers?.CreateLogger<CircuitBreakerPolicy>()), loggers?.CreateLogger<CircuitBreakingChatClient>());
    }
}
