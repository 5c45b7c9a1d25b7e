using AiAllin.SK.Filters.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Filters;

/// <summary>Adds the rate-limit policy to an <c>AddAiAllinFilters(f =&gt; ...)</c> registration.</summary>
/// <remarks>
/// The policy is a chat-client layer only: Semantic Kernel prompt functions reach the model through the decorated
/// <c>IChatClient</c>, so an SK function filter charging the same call again would count it twice. Limiting native
/// kernel functions (tools that call paid APIs) is a different policy keyed by function name.
/// </remarks>
public static class RateLimitFiltersBuilderExtensions
{
    /// <summary>
    /// Limits every decorated chat client with one shared policy: requests of all clients are partitioned by
    /// <see cref="RateLimitOptions.PartitionKeySelector"/> (by default provider, model and user). The policy is also
    /// registered as a <see cref="RateLimitPolicy"/> singleton, for its statistics (the last one when used twice).
    /// </summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Sets the limits; the options are validated here.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseRateLimit(this AiAllinFiltersBuilder builder, Action<RateLimitOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var policy = CreatePolicyFactory(configure);
        builder.Services.AddSingleton(policy);
        return builder.AddChatLayer((services, inner) => new RateLimitingChatClient(inner, policy(services)));
    }

    /// <summary>Limits every decorated chat client with the given policy (for example one shared with other hosts).</summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="policy">The policy; the caller disposes it.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseRateLimit(this AiAllinFiltersBuilder builder, RateLimitPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(policy);
        return builder.AddChatLayer((_, inner) => new RateLimitingChatClient(inner, policy));
    }

    /// <summary>
    /// Limits invocations of kernel functions (native functions and tools the model calls automatically), each
    /// function on its own by default, with a <see cref="RateLimitingFunctionFilter"/> SK filter.
    /// </summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Sets the limits; the options are validated here.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseFunctionRateLimit(this AiAllinFiltersBuilder builder, Action<FunctionRateLimitOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new FunctionRateLimitOptions();
        configure(options);
        using (new RateLimitingFunctionFilter(options))
        {
        }

        return builder.AddFunctionFilter(services => new RateLimitingFunctionFilter(options, RateLimitChatClientBuilderExtensions.GetLogger<RateLimitPolicy>(services)));
    }

    /// <summary>Validates the options now and creates one policy, with the first service provider's logger, on first use.</summary>
    internal static Func<IServiceProvider, RateLimitPolicy> CreatePolicyFactory(Action<RateLimitOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new RateLimitOptions();
        configure(options);
        using (new RateLimitPolicy(options))
        {
        }

        RateLimitPolicy? policy = null;
        var gate = new Lock();
        return services =>
        {
            lock (gate)
            {
                return policy ??= new RateLimitPolicy(options, RateLimitChatClientBuilderExtensions.GetLogger<RateLimitPolicy>(services));
            }
        };
    }
}
