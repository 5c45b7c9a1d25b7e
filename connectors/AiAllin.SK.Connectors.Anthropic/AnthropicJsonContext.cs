using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>Source-generated JSON metadata for the request fields the connector adds.</summary>
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
