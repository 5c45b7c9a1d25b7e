using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Core;

/// <summary>Reads <c>"error"</c> whether it is an object or a bare string; any other shape is skipped.</summary>
internal sealed class ProviderErrorDetailConverter : JsonConverter<ProviderErrorDetail>
{
    public override ProviderErrorDetail? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new ProviderErrorDetail { Message = reader.GetString() };
            case JsonTokenType.StartObject:
                return JsonSerializer.Deserialize(ref reader, CoreJsonContext.Default.ProviderErrorDetail);
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, ProviderErrorDetail value, JsonSerializerOptions options)
        => JsonSerializer.Serialize(writer, value, CoreJsonContext.Default.ProviderErrorDetail);
}
