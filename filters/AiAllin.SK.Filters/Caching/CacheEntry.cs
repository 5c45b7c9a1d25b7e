using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Caching;

/// <summary>
/// A cached answer as stored: <c>{"createdAt":unix-ms,"response":{…}}</c> for a plain call, or
/// <c>{"createdAt":unix-ms,"updates":[…]}</c> for a stream, so a stream is replayed update by update.
/// </summary>
internal sealed class CacheEntry
{
    private CacheEntry(DateTimeOffset createdAt, ChatResponse? response, List<ChatResponseUpdate>? updates)
    {
        CreatedAt = createdAt;
        Response = response;
        Updates = updates;
    }

    public DateTimeOffset CreatedAt { get; }

    public ChatResponse? Response { get; }

    public List<ChatResponseUpdate>? Updates { get; }

    /// <summary>Serializes a plain response, or returns null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static byte[]? Encode(ChatResponse response, DateTimeOffset createdAt, long maxBytes, JsonSerializerOptions json)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("createdAt", createdAt.ToUnixTimeMilliseconds());
            writer.WritePropertyName("response");
            JsonSerializer.Serialize(writer, response, json.GetTypeInfo(typeof(ChatResponse)));
            writer.WriteEndObject();
        }

        return buffer.WrittenCount > maxBytes ? null : buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an entry; throws <see cref="JsonException"/> for a damaged one.</summary>
    public static CacheEntry Decode(ReadOnlySpan<byte> data, JsonSerializerOptions json)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A cache entry must be a JSON object.");
        }

        long? createdAt = null;
        ChatResponse? response = null;
        List<ChatResponseUpdate>? updates = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("createdAt"u8))
            {
                reader.Read();
                createdAt = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("response"u8))
            {
                reader.Read();
                response = (ChatResponse?)JsonSerializer.Deserialize(ref reader, json.GetTypeInfo(typeof(ChatResponse)));
            }
            else if (reader.ValueTextEquals("updates"u8))
            {
                reader.Read();
                updates = ReadUpdates(ref reader, json);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (createdAt is null || (response is null && updates is null))
        {
            throw new JsonException("A cache entry needs createdAt and a response or updates.");
        }

        return new CacheEntry(DateTimeOffset.FromUnixTimeMilliseconds(createdAt.Value), response, updates);
    }

    /// <summary>Gets the entry as a plain response.</summary>
    public ChatResponse ToResponse() => Response ?? Updates!.ToChatResponse();

    /// <summary>Gets the entry as the updates to replay.</summary>
    public IReadOnlyList<ChatResponseUpdate> ToUpdates() => Updates ?? (IReadOnlyList<ChatResponseUpdate>)Response!.ToChatResponseUpdates();

    private static List<ChatResponseUpdate> ReadUpdates(ref Utf8JsonReader reader, JsonSerializerOptions json)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Cache entry updates must be an array.");
        }

        var info = json.GetTypeInfo(typeof(ChatResponseUpdate));
        var updates = new List<ChatResponseUpdate>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            updates.Add((ChatResponseUpdate?)JsonSerializer.Deserialize(ref reader, info) ?? throw new JsonException("A cached update is null."));
        }

        return updates;
    }
}
