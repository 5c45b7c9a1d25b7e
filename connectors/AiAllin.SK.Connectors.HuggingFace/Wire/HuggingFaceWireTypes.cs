using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.HuggingFace.Wire;

// Request and response bodies of text-embeddings-inference (docs/openapi.json of huggingface/text-embeddings-inference)
// and of the Hugging Face Inference API's feature-extraction task, which takes the same body plus "options".
// Absent optional fields are left out, so the server's own defaults apply.

internal sealed class EmbedRequest
{
    [JsonPropertyName("inputs")]
    public required IReadOnlyList<string> Inputs { get; init; }

    [JsonPropertyName("truncate")]
    public bool? Truncate { get; init; }

    [JsonPropertyName("truncation_direction")]
    public string? TruncationDirection { get; init; }

    [JsonPropertyName("normalize")]
    public bool? Normalize { get; init; }

    [JsonPropertyName("prompt_name")]
    public string? PromptName { get; init; }

    [JsonPropertyName("dimensions")]
    public int? Dimensions { get; init; }

    [JsonPropertyName("options")]
    public InferenceApiOptions? Options { get; init; }
}

internal sealed class InferenceApiOptions
{
    [JsonPropertyName("wait_for_model")]
    public bool WaitForModel { get; init; }
}

internal sealed class RerankRequest
{
    [JsonPropertyName("query")]
    public required string Query { get; init; }

    [JsonPropertyName("texts")]
    public required IReadOnlyList<string> Texts { get; init; }

    [JsonPropertyName("truncate")]
    public bool? Truncate { get; init; }

    [JsonPropertyName("truncation_direction")]
    public string? TruncationDirection { get; init; }

    [JsonPropertyName("raw_scores")]
    public bool RawScores { get; init; }

    [JsonPropertyName("return_text")]
    public bool ReturnText { get; init; }
}

internal sealed class RerankRank
{
    [JsonPropertyName("index")]
    public int Index { get; init; }

    [JsonPropertyName("score")]
    public double Score { get; init; }
}

internal sealed class ServerInfo
{
    [JsonPropertyName("model_id")]
    public string? ModelId { get; init; }

    [JsonPropertyName("max_client_batch_size")]
    public int? MaxClientBatchSize { get; init; }

    [JsonPropertyName("max_input_length")]
    public int? MaxInputLength { get; init; }
}

internal sealed class LoadingError
{
    [JsonPropertyName("estimated_time")]
    public double? EstimatedTime { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EmbedRequest))]
[JsonSerializable(typeof(RerankRequest))]
[JsonSerializable(typeof(RerankRank[]))]
[JsonSerializable(typeof(ServerInfo))]
[JsonSerializable(typeof(LoadingError))]
internal sealed partial class HuggingFaceJsonContext : JsonSerializerContext;
