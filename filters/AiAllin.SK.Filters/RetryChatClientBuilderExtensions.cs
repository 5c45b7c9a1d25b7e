using AiAllin.SK.Filters.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters;

/// <summary>Adds the AiAllin retry to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class RetryChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="RetryingChatClient"/> (exponential backoff with jitter, honouring <c>Retry-After</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the defaults; the options are validated here.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinRetry(this ChatClientBuilder builder, Action<RetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = Configure(configure);
        return builder.Use((inner, services) => Create(inner, options, services));
    }

    internal static RetryOptions Configure(Action<RetryOptions>? configure)
    {
        var options = new RetryOptions();
        configure?.Invoke(options);
        _ = new RetryPolicy(options);
        return options;
    }

    internal static RetryingChatClient Create(IChatClient inner, RetryOptions options, IServiceProvider services)
    {
        var loggers = services.GetService<ILoggerFactory>();
        return new RetryingChatClient(inner, new RetryPolicy(options, loggers?.CreateLogger<RetryPolicy>()), loggers?.CreateLogger<RetryingChatClient>());
    }
}
