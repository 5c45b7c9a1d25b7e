using AiAllin.SK.Filters.Metrics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Filters;

/// <summary>Adds the AiAllin metrics layer to a <see cref="ChatClientBuilder"/>.</summary>
public static class MetricsChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="MetricsChatClient"/> (meter and activity source <see cref="MetricsPolicy.SourceName"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinMetrics(this ChatClientBuilder builder, Action<MetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new MetricsOptions();
        configure?.Invoke(options);
        return builder.Use((inner, services) => new MetricsChatClient(inner, new MetricsPolicy(options, services.GetService<IMeterFactory>())));
    }
}
