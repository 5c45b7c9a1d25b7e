using AiAllin.SK.Filters.Pipeline;
using AiAllin.SK.Filters.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters;

/// <summary>Adds the timeout policy to <c>AddAiAllinFilters</c>.</summary>
public static class TimeoutFiltersBuilderExtensions
{
    /// <summary>The logger category of the policy.</summary>
    public const string Category = "AiAllin.SK.Filters.Timeouts";

    /// <summary>Limits model calls (total, first token, idle between tokens) and SK function invocations, at this position in the filter order.</summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Sets the limits.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseTimeout(this AiAllinFiltersBuilder builder, Action<TimeoutOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TimeoutOptions();
        configure(options);
        options.Validate();
        var policies = new PerServiceProvider<TimeoutPolicy>(sp => new TimeoutPolicy(options, sp.GetService<ILoggerFactory>()?.CreateLogger(Category)));
        return builder
            .AddChatLayer((sp, inner) => new TimeoutChatClient(inner, policies.Get(sp)))
            .AddFunctionFilter(sp => new PolicyKernelFilter(onFunction: policies.Get(sp).OnFunctionInvocationAsync));
    }

    /// <summary>Limits each model call and SK function invocation to <paramref name="total"/>.</summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="total">The limit on a whole call.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseTimeout(this AiAllinFiltersBuilder builder, TimeSpan total) => builder.UseTimeout(o => o.Total = total);
}
