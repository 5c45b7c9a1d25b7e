using AiAllin.SK.Filters.Resilience;
namespace AiAllin.SK.Filters;

/// <summary>Adds the circuit breaker to an <c>AddAiAllinFilters(f =&gt; ...)</c> registration.</summary>
/// <remarks>
/// A chat-client layer only, one circuit per decorated client registration (so one failing provider does not
/// open the circuit of another). Semantic Kernel prompt functions reach the model through the decorated client.
/// </remarks>
public static class CircuitBreakerFiltersBuilderExtensions
{
    /// <summary>Puts a circuit breaker in front of every decorated chat client, one circuit each.</summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Changes the defaults; the options are validated here.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseCircuitBreaker(this AiAllinFiltersBuilder builder, Action<CircuitBreakerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = CircuitBreakerChatClientBuilderExtensions.Configure(configure);
        return builder.AddChatLayer((services, inner) => CircuitBreakerChatClientBuilderExtensions.Create(inner, options, services));
    }
}
