using AiAllin.SK.Filters.Pipeline;
using AiAllin.SK.Filters.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Filters;

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
            .AddChatLayer((sp, inner) => new AiAllinLoggingChatClient(inner, policies.Get(sp)))
            .AddFunctionFilter(sp => new PolicyKernelFilter(onFunction: policies.Get(sp).OnFunctionInvocationAsync))
            .AddPromptRenderFilter(sp => new PolicyKernelFilter(onPromptRender: policies.Get(sp).OnPromptRenderAsync))
            .AddAutoFunctionInvocationFilter(sp => new PolicyKernelFilter(onAutoFunction: policies.Get(sp).OnAutoFunctionInvocationAsync));
    }
}
