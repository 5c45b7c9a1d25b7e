using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Postgres.Sessions;

/// <summary>Source-generated JSON for session metadata (the json <c>metadata</c> column).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ChatHistoryJsonContext : JsonSerializerContext;
