using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Core;

/// <summary>One entry of Gemini's <c>error.details</c>; only <c>google.rpc.RetryInfo</c> matters here.</summary>
internal sealed class ProviderErrorDetailEntry
{
    [JsonPropertyName("@type")]
    public string? Type { get; set; }

    [JsonPropertyName("retryDelay")]
    public string? RetryDelay { get; set; }
}
