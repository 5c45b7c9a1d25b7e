using AiAllin.SK.Filters.Hooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Filters.Logging;

/// <summary>Adds the logging policy to <c>AddAiAllinFilters</c>.</summary>
public static class LoggingFiltersBuilderExtensions
{
    /// <summary>The logger category of the policy.</summary>
    public const string Category = "AiAllin.SK.Filters.Logging";

    /// <summary>
    /// Logs model calls, SK function calls, rendered prompts and automatic tool calls at this position in the filter
    /// order, through the <see cref="ILoggerFactory"/> registered in the services.
    /// </summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Sets the options; bodies are off by default.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseLogging(this AiAllinFiltersBuilder builder, Action<LoggingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new LoggingOptions();
        configure?.Invoke(options);
        options.Validate();
        var policies = new PerServiceProvider<LoggingPolicy>(sp =>
            new LoggingPolicy(options, (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(Category)));
        return builder
            .AddChatLayer((sp, inner) => new LoggingChatClient(inner, policies.Get(sp)))
            .AddFunctionFilter(sp => new LoggingKernelFilter(policies.Get(sp)))
            .AddPromptRenderFilter(sp => new LoggingKernelFilter(policies.Get(sp)))
            .AddAutoFunctionInvocationFilter(sp => new LoggingKernelFilter(policies.Get(sp)));
    }
}
