using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>Source-generated serializer for the small JSON values the schema converter builds.</summary>
[JsonSerializable(typeof(JsonElement[]))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class GeminiSchemaJsonContext : JsonSerializerContext;
