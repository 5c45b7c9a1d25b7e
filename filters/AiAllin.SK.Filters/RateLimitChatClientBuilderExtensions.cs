using AiAllin.SK.Filters.RateLimiting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters;

/// <summary>Adds the AiAllin rate limit to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class RateLimitChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="RateLimitingChatClient"/> with a policy configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the limits; the options are validated here.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinRateLimit(this ChatClientBuilder builder, Action<RateLimitOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var policy = RateLimitFiltersBuilderExtensions.CreatePolicyFactory(configure);
        return builder.Use((inner, services) => new RateLimitingChatClient(inner, policy(services)));
    }

    /// <summary>Adds a <see cref="RateLimitingChatClient"/> with a policy shared with other clients.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="policy">The policy; the caller disposes it.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinRateLimit(this ChatClientBuilder builder, RateLimitPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(policy);
        return builder.Use(inner => new RateLimitingChatClient(inner, policy));
    }

    internal static ILogger<T>? GetLogger<T>(IServiceProvider services) => services.GetService<ILoggerFactory>()?.CreateLogger<T>();
}
