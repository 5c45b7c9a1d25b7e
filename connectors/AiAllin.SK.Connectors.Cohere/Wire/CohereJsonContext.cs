using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Cohere.Wire;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(CohereChatRequest))]
[JsonSerializable(typeof(CohereChatResponse))]
[JsonSerializable(typeof(CohereCitation))]
[JsonSerializable(typeof(CohereUsage))]
[JsonSerializable(typeof(List<CohereContentPart>))]
[JsonSerializable(typeof(CohereEmbedRequest))]
[JsonSerializable(typeof(CohereEmbedResponse))]
[JsonSerializable(typeof(CohereRerankRequest))]
[JsonSerializable(typeof(CohereRerankResponse))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class CohereJsonContext : JsonSerializerContext;
