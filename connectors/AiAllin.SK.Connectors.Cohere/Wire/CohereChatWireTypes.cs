using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Cohere.Wire;

// The /v2/chat request and response as Cohere's API reference documents them ("Chat" and "Chat with Streaming").
// Member names follow the wire in snake_case through CohereJsonContext's naming policy.

internal sealed class CohereChatRequest
{
    public required string Model { get; init; }

    public required List<CohereMessage> Messages { get; init; }

    public bool Stream { get; set; }

    public List<CohereTool>? Tools { get; set; }

    public List<JsonElement>? Documents { get; set; }

    public CohereCitationOptions? CitationOptions { get; set; }

    public CohereResponseFormat? ResponseFormat { get; set; }

    public string? SafetyMode { get; set; }

    public int? MaxTokens { get; set; }

    public IList<string>? StopSequences { get; set; }

    public float? Temperature { get; set; }

    public long? Seed { get; set; }

    public float? FrequencyPenalty { get; set; }

    public float? PresencePenalty { get; set; }

    public int? K { get; set; }

    public float? P { get; set; }

    public string? ToolChoice { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class CohereMessage
{
    public required string Role { get; init; }

    // A string, or an array of content parts where the message carries images.
    public JsonElement? Content { get; set; }

    public string? ToolPlan { get; set; }

    public List<CohereToolCall>? ToolCalls { get; set; }

    public string? ToolCallId { get; set; }
}

internal sealed class CohereContentPart
{
    public required string Type { get; init; }

    public string? Text { get; set; }

    public CohereImageUrl? ImageUrl { get; set; }
}

internal sealed class CohereImageUrl
{
    public required string Url { get; init; }
}

internal sealed class CohereTool
{
    public string Type { get; set; } = "function";

    public required CohereToolFunction Function { get; init; }
}

internal sealed class CohereToolFunction
{
    public required string Name { get; init; }

    public string? Description { get; set; }

    public JsonElement? Parameters { get; set; }
}

internal sealed class CohereToolCall
{
    public string? Id { get; set; }

    public string? Type { get; set; }

    public CohereToolCallFunction? Function { get; set; }
}

internal sealed class CohereToolCallFunction
{
    public string? Name { get; set; }

    public string? Arguments { get; set; }
}

internal sealed class CohereCitationOptions
{
    public required string Mode { get; init; }
}

internal sealed class CohereResponseFormat
{
    public required string Type { get; init; }

    public JsonElement? JsonSchema { get; set; }
}

internal sealed class CohereChatResponse
{
    public string? Id { get; set; }

    public string? FinishReason { get; set; }

    public CohereResponseMessage? Message { get; set; }

    public CohereUsage? Usage { get; set; }
}

internal sealed class CohereResponseMessage
{
    public string? Role { get; set; }

    public List<CohereResponseContent>? Content { get; set; }

    public string? ToolPlan { get; set; }

    public List<CohereToolCall>? ToolCalls { get; set; }

    public List<CohereCitation>? Citations { get; set; }
}

internal sealed class CohereResponseContent
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    public string? Thinking { get; set; }
}

internal sealed class CohereCitation
{
    public int? Start { get; set; }

    public int? End { get; set; }

    public string? Text { get; set; }

    public List<CohereCitationSource>? Sources { get; set; }

    public string? Type { get; set; }

    public int? ContentIndex { get; set; }
}

internal sealed class CohereCitationSource
{
    public string? Type { get; set; }

    public string? Id { get; set; }

    public JsonElement? Document { get; set; }

    public JsonElement? ToolOutput { get; set; }
}

// Counts arrive as JSON numbers that some servers write with a fraction ("37.0"), hence double.
internal sealed class CohereUsage
{
    public CohereTokenCounts? BilledUnits { get; set; }

    public CohereTokenCounts? Tokens { get; set; }

    public double? CachedTokens { get; set; }
}

internal sealed class CohereTokenCounts
{
    public double? InputTokens { get; set; }

    public double? OutputTokens { get; set; }

    public double? SearchUnits { get; set; }
}
