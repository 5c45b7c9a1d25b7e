using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Core.Tests;

[JsonSerializable(typeof(TextChunk))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
