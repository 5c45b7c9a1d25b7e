using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Core.Tests;

public sealed class TextChunk
{
    [JsonPropertyName("text")]
    public string? Text { get; set; }

    [JsonPropertyName("index")]
    public int Index { get; set; }
}
