using AiAllin.SK.Filters.Timeouts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters;

/// <summary>Adds the AiAllin timeout layer to a <see cref="ChatClientBuilder"/>.</summary>
public static class TimeoutChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="TimeoutChatClient"/> with the limits set in <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the limits.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinTimeout(this ChatClientBuilder builder, Action<TimeoutOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TimeoutOptions();
        configure(options);
        options.Validate();
        return builder.Use((inner, services) =>
            new TimeoutChatClient(inner, new TimeoutPolicy(options, services.GetService<ILoggerFactory>()?.CreateLogger(TimeoutFiltersBuilderExtensions.Category))));
    }

    /// <summary>Adds a <see cref="TimeoutChatClient"/> with a total limit.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="total">The limit on a whole call.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinTimeout(this ChatClientBuilder builder, TimeSpan total) =>
        builder.UseAiAllinTimeout(o => o.Total = total);
}
