using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Core;

/// <summary>The object under <c>"error"</c>; also built from a bare string for Ollama-style bodies.</summary>
internal sealed class ProviderErrorDetail
{
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    // OpenAI sends a string, Gemini the numeric HTTP status.
    [JsonPropertyName("code")]
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Code { get; set; }

    // Gemini sends a symbolic status, Azure OpenAI repeats the numeric HTTP status.
    [JsonPropertyName("status")]
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Status { get; set; }

    [JsonPropertyName("param")]
    public string? Param { get; set; }

    [JsonPropertyName("details")]
    public IList<ProviderErrorDetailEntry>? Details { get; set; }
}
