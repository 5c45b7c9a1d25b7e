using AiAllin.SK.Filters.Logging;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Filters;

/// <summary>Adds the AiAllin logging layer to a <see cref="ChatClientBuilder"/>.</summary>
public static class AiAllinLoggingChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="AiAllinLoggingChatClient"/> (category <c>AiAllin.SK.Filters.Logging</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="loggerFactory">The logger factory; <see langword="null"/> takes the one registered in the services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinLogging(this ChatClientBuilder builder, ILoggerFactory? loggerFactory = null, Action<LoggingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new LoggingOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.Use((inner, services) =>
        {
            var factory = loggerFactory ?? services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            return new AiAllinLoggingChatClient(inner, new LoggingPolicy(options, factory.CreateLogger(LoggingFiltersBuilderExtensions.Category)));
        });
    }
}
