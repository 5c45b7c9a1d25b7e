namespace AiAllin.SK.Filters.Metrics;

/// <summary>Options of the metrics policy.</summary>
public sealed class MetricsOptions
{
    /// <summary>Gets or sets the <c>gen_ai.provider.name</c> reported; <see langword="null"/> takes the client's <c>ChatClientMetadata.ProviderName</c>.</summary>
    public string? ProviderName { get; set; }

    /// <summary>Gets or sets a value indicating whether spans (<c>chat {model}</c>, <c>execute_tool {name}</c>) are started. Default true.</summary>
    public bool EnableTracing { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether SK function invocations and automatic tool calls are measured too. Default true.</summary>
    public bool MeasureFunctions { get; set; } = true;
}
