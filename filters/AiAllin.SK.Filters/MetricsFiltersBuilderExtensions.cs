using AiAllin.SK.Filters.Pipeline;
using AiAllin.SK.Filters.Metrics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Filters;

/// <summary>Adds the metrics policy to <c>AddAiAllinFilters</c>.</summary>
public static class MetricsFiltersBuilderExtensions
{
    /// <summary>
    /// Records GenAI metrics and spans for model calls at this position in the layer order, and measures SK function
    /// invocations and automatic tool calls (meter and activity source <see cref="MetricsPolicy.SourceName"/>; the
    /// meter comes from the registered <see cref="IMeterFactory"/> when there is one).
    /// </summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseMetrics(this AiAllinFiltersBuilder builder, Action<MetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new MetricsOptions();
        configure?.Invoke(options);
        var policies = new PerServiceProvider<MetricsPolicy>(sp => new MetricsPolicy(options, sp.GetService<IMeterFactory>()));
        return builder
            .AddChatLayer((sp, inner) => new MetricsChatClient(inner, policies.Get(sp)))
            .AddFunctionFilter(sp => new PolicyKernelFilter(onFunction: policies.Get(sp).OnFunctionInvocationAsync))
            .AddAutoFunctionInvocationFilter(sp => new PolicyKernelFilter(onAutoFunction: policies.Get(sp).OnAutoFunctionInvocationAsync));
    }
}
