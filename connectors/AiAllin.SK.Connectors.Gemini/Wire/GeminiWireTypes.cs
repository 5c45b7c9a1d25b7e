using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Gemini.Wire;

// The request and response shapes of generateContent, streamGenerateContent, embedContent and batchEmbedContents as
// the Gemini API reference documents them (v1beta, camelCase). Fields the client never reads are left out, so the
// source-generated reader skips them without allocating.

/// <summary>A <c>GenerateContentRequest</c>.</summary>
internal sealed class GeminiRequest
{
    public List<GeminiContent> Contents { get; set; } = [];

    public GeminiContent? SystemInstruction { get; set; }

    public List<GeminiTool>? Tools { get; set; }

    public GeminiToolConfig? ToolConfig { get; set; }

    public IList<GeminiSafetySetting>? SafetySettings { get; set; }

    public GeminiGenerationConfig? GenerationConfig { get; set; }

    public string? CachedContent { get; set; }
}

/// <summary>A <c>Content</c>: a role and its parts.</summary>
internal sealed class GeminiContent
{
    public string? Role { get; set; }

    public List<GeminiPart>? Parts { get; set; }
}

/// <summary>A <c>Part</c>; exactly one of the data fields is set, plus the optional thought flag and signature.</summary>
internal sealed class GeminiPart
{
    public string? Text { get; set; }

    public bool? Thought { get; set; }

    public string? ThoughtSignature { get; set; }

    public GeminiInlineData? InlineData { get; set; }

    public GeminiFileData? FileData { get; set; }

    public GeminiFunctionCall? FunctionCall { get; set; }

    public GeminiFunctionResponse? FunctionResponse { get; set; }
}

/// <summary>A <c>Blob</c>: base64 bytes and their media type.</summary>
internal sealed class GeminiInlineData
{
    public string? MimeType { get; set; }

    public string? Data { get; set; }
}

/// <summary>A <c>FileData</c>: a URI (Files API or Cloud Storage) and its media type.</summary>
internal sealed class GeminiFileData
{
    public string? MimeType { get; set; }

    public string? FileUri { get; set; }
}

/// <summary>A <c>FunctionCall</c>; <c>args</c> is a JSON object (a protobuf Struct), never text.</summary>
internal sealed class GeminiFunctionCall
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonElement? Args { get; set; }
}

/// <summary>A <c>FunctionResponse</c>; <c>response</c> must be a JSON object.</summary>
internal sealed class GeminiFunctionResponse
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonNode? Response { get; set; }
}

/// <summary>A <c>Tool</c> with function declarations.</summary>
internal sealed class GeminiTool
{
    public List<GeminiFunctionDeclaration> FunctionDeclarations { get; set; } = [];
}

/// <summary>A <c>FunctionDeclaration</c>; <c>parameters</c> is in Gemini's OpenAPI schema subset.</summary>
internal sealed class GeminiFunctionDeclaration
{
    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }

    public JsonObject? Parameters { get; set; }
}

/// <summary>A <c>ToolConfig</c>.</summary>
internal sealed class GeminiToolConfig
{
    public GeminiFunctionCallingConfig? FunctionCallingConfig { get; set; }
}

/// <summary>A <c>FunctionCallingConfig</c>: mode <c>AUTO</c>, <c>ANY</c> or <c>NONE</c>.</summary>
internal sealed class GeminiFunctionCallingConfig
{
    public string Mode { get; set; } = "AUTO";

    public List<string>? AllowedFunctionNames { get; set; }
}

/// <summary>A <c>GenerationConfig</c>; keys of <c>ChatOptions.AdditionalProperties</c> the client does not map land in <see cref="Extra"/>.</summary>
internal sealed class GeminiGenerationConfig
{
    public IList<string>? StopSequences { get; set; }

    public string? ResponseMimeType { get; set; }

    public JsonObject? ResponseSchema { get; set; }

    public int? MaxOutputTokens { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public int? TopK { get; set; }

    public long? Seed { get; set; }

    public float? PresencePenalty { get; set; }

    public float? FrequencyPenalty { get; set; }

    public GeminiThinkingConfig? ThinkingConfig { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A <c>ThinkingConfig</c>.</summary>
internal sealed class GeminiThinkingConfig
{
    public bool? IncludeThoughts { get; set; }

    public int? ThinkingBudget { get; set; }

    public string? ThinkingLevel { get; set; }
}

/// <summary>A <c>GenerateContentResponse</c>, whole or one streamed chunk of it.</summary>
internal sealed class GeminiResponse
{
    public List<GeminiCandidate>? Candidates { get; set; }

    public GeminiPromptFeedback? PromptFeedback { get; set; }

    public GeminiUsage? UsageMetadata { get; set; }

    public string? ModelVersion { get; set; }

    public string? ResponseId { get; set; }
}

/// <summary>A <c>Candidate</c>.</summary>
internal sealed class GeminiCandidate
{
    public GeminiContent? Content { get; set; }

    public string? FinishReason { get; set; }

    public string? FinishMessage { get; set; }

    public List<GeminiSafetyRating>? SafetyRatings { get; set; }
}

/// <summary>A <c>SafetyRating</c>.</summary>
internal sealed class GeminiSafetyRating
{
    public string? Category { get; set; }

    public string? Probability { get; set; }

    public bool? Blocked { get; set; }
}

/// <summary>A <c>PromptFeedback</c>: set when the prompt itself was blocked.</summary>
internal sealed class GeminiPromptFeedback
{
    public string? BlockReason { get; set; }

    public List<GeminiSafetyRating>? SafetyRatings { get; set; }
}

/// <summary>A <c>UsageMetadata</c>; in a stream each chunk repeats the running totals.</summary>
internal sealed class GeminiUsage
{
    public int? PromptTokenCount { get; set; }

    public int? CandidatesTokenCount { get; set; }

    public int? TotalTokenCount { get; set; }

    public int? CachedContentTokenCount { get; set; }

    public int? ThoughtsTokenCount { get; set; }

    public int? ToolUsePromptTokenCount { get; set; }
}

/// <summary>An <c>EmbedContentRequest</c>, alone or one of a batch.</summary>
internal sealed class GeminiEmbedRequest
{
    public string Model { get; set; } = string.Empty;

    public GeminiContent Content { get; set; } = new();

    public string? TaskType { get; set; }

    public string? Title { get; set; }

    public int? OutputDimensionality { get; set; }
}

/// <summary>A <c>BatchEmbedContentsRequest</c>.</summary>
internal sealed class GeminiBatchEmbedRequest
{
    public List<GeminiEmbedRequest> Requests { get; set; } = [];
}

/// <summary>An <c>EmbedContentResponse</c>.</summary>
internal sealed class GeminiEmbedResponse
{
    public GeminiEmbedding? Embedding { get; set; }
}

/// <summary>A <c>BatchEmbedContentsResponse</c>.</summary>
internal sealed class GeminiBatchEmbedResponse
{
    public List<GeminiEmbedding>? Embeddings { get; set; }
}

/// <summary>A <c>ContentEmbedding</c>.</summary>
internal sealed class GeminiEmbedding
{
    public float[]? Values { get; set; }
}

/// <summary>The source-generated serializer of every Gemini wire type.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GeminiRequest))]
[JsonSerializable(typeof(GeminiEmbedRequest))]
[JsonSerializable(typeof(GeminiBatchEmbedRequest))]
[JsonSerializable(typeof(GeminiEmbedResponse))]
[JsonSerializable(typeof(GeminiBatchEmbedResponse))]
internal sealed partial class GeminiJsonContext : JsonSerializerContext;
