using AiAllin.SK.Filters.Resilience;
namespace AiAllin.SK.Filters;

/// <summary>Adds the retry policy to an <c>AddAiAllinFilters(f =&gt; ...)</c> registration.</summary>
/// <remarks>
/// Retry is a chat-client layer only. Semantic Kernel prompt functions call the model through the decorated
/// <c>IChatClient</c>, so they are retried there; an SK function filter would retry the whole function again
/// (multiplying attempts) and would re-run native functions whose side effects may not be repeatable.
/// </remarks>
public static class RetryFiltersBuilderExtensions
{
    /// <summary>Retries every decorated chat client's failed calls (exponential backoff with jitter, honouring <c>Retry-After</c>).</summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Changes the defaults; the options are validated here.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseRetry(this AiAllinFiltersBuilder builder, Action<RetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = RetryChatClientBuilderExtensions.Configure(configure);
        return builder.AddChatLayer((services, inner) => RetryChatClientBuilderExtensions.Create(inner, options, services));
    }
}
