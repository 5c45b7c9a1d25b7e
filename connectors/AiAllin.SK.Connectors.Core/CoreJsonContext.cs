using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Core;

/// <summary>Source-generated metadata for Core's own DTOs, so error parsing needs no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(ProviderErrorEnvelope))]
[JsonSerializable(typeof(ProviderErrorEnvelope[]))]
[JsonSerializable(typeof(ProviderErrorDetail))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
