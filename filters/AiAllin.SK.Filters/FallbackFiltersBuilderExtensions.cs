using AiAllin.SK.Filters.Resilience;
namespace AiAllin.SK.Filters;

/// <summary>Adds the fallback policy to an <c>AddAiAllinFilters(f =&gt; ...)</c> registration.</summary>
/// <remarks>
/// Fallback is a chat-client layer only: Semantic Kernel prompt functions reach the model through the decorated
/// <c>IChatClient</c>, which is where another client or model can stand in.
/// </remarks>
public static class FallbackFiltersBuilderExtensions
{
    /// <summary>Sends every decorated chat client's failed calls to a fallback client and/or model.</summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Names the fallback (for a keyed client registered in the same services, set <see cref="FallbackOptions.FallbackClientKey"/>); validated here.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseFallback(this AiAllinFiltersBuilder builder, Action<FallbackOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = FallbackChatClientBuilderExtensions.Configure(configure);
        return builder.AddChatLayer((services, inner) => FallbackChatClientBuilderExtensions.Create(inner, options, services));
    }
}
