using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Core;

/// <summary>
/// The union of the documented error bodies: <c>{"error":{…}}</c> (OpenAI, Anthropic, Gemini), <c>{"error":"…"}</c>
/// (Ollama, TEI, Hugging Face), <c>{"message":"…"}</c> (Cohere, OpenAI Responses stream errors).
/// </summary>
internal sealed class ProviderErrorEnvelope
{
    [JsonPropertyName("error")]
    [JsonConverter(typeof(ProviderErrorDetailConverter))]
    public ProviderErrorDetail? Error { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("code")]
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Code { get; set; }

    [JsonPropertyName("error_type")]
    public string? ErrorType { get; set; }

    [JsonPropertyName("estimated_time")]
    public double? EstimatedTime { get; set; }
}
