using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Caching;

/// <summary>
/// Writes the parts of a chat request that decide its answer as canonical JSON (fixed property order, sorted maps and
/// tool lists, no ids, timestamps or raw representations) and hashes it with SHA-256, so equal requests give equal
/// keys however they were built, and keys carry no prompt text. SHA-256 rather than a faster non-cryptographic hash:
/// a crafted collision would serve one request's answer to another.
/// </summary>
internal static class CanonicalRequestWriter
{
    /// <summary>Bumped whenever the canonical form changes, so old entries are simply never found again.</summary>
    public const string Version = "v1";

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Hashes a request.</summary>
    /// <param name="kind">"exact" or "semantic", so the two caches never share a key.</param>
    /// <param name="partition">The partition (already hashed).</param>
    /// <param name="defaultModelId">The inner client's default model, used when the options name none.</param>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The options.</param>
    /// <param name="promptIndex">The message whose text is left out (the semantic cache embeds it instead), or -1.</param>
    /// <param name="json">Serializer options for contents and option values.</param>
    /// <returns>The lower-case hex SHA-256 of the canonical form.</returns>
    public static string Hash(
        string kind,
        string partition,
        string? defaultModelId,
        IList<ChatMessage> messages,
        ChatOptions? options,
        int promptIndex,
        JsonSerializerOptions json)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(2048);
        buffer.ResetWrittenCount();
        var writer = t_writer;
        if (writer is null)
        {
            writer = t_writer = new Utf8JsonWriter(buffer);
        }
        else
        {
            writer.Reset(buffer);
        }

        try
        {
            writer.WriteStartObject();
            writer.WriteString("v", Version);
            writer.WriteString("kind", kind);
            writer.WriteString("partition", partition);
            writer.WriteString("model", options?.ModelId ?? defaultModelId);
            writer.WritePropertyName("messages");
            writer.WriteStartArray();
            for (var i = 0; i < messages.Count; i++)
            {
                WriteMessage(writer, messages[i], i == promptIndex, json);
            }

            writer.WriteEndArray();
            WriteOptions(writer, options, json);

            writer.WriteEndObject();
            writer.Flush();
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.WrittenSpan, hash);
            return Convert.ToHexStringLower(hash);
        }
        catch
        {
            // A writer left mid-object must not be reused.
            t_writer = null;
            writer.Dispose();
            throw;
        }
        finally
        {
            if (buffer.Capacity > 1 << 20)
            {
                t_buffer = null;
            }
        }
    }

    /// <summary>Hashes a partition value so keys, tags and stored records never hold a raw tenant or user id.</summary>
    /// <param name="partition">The partition, or null for the shared partition.</param>
    /// <returns>A short hex digest, or "-" for the shared partition.</returns>
    public static string HashPartition(string? partition)
    {
        if (string.IsNullOrEmpty(partition))
        {
            return "-";
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(partition), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message, bool isPrompt, JsonSerializerOptions json)
    {
        writer.WriteStartObject();
        writer.WriteString("role", message.Role.Value);
        if (message.AuthorName is not null)
        {
            writer.WriteString("author", message.AuthorName);
        }

        writer.WritePropertyName("contents");
        writer.WriteStartArray();
        var contentInfo = json.GetTypeInfo(typeof(AIContent));
        foreach (var content in message.Contents)
        {
            if (isPrompt && content is TextContent)
            {
                writer.WriteStringValue("$prompt");
                continue;
            }

            WriteCanonical(writer, JsonSerializer.SerializeToElement(content, contentInfo), skipAdditionalProperties: true);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions? options, JsonSerializerOptions json)
    {
        // Always an object, so no options and empty options give the same key.
        writer.WritePropertyName("options");
        writer.WriteStartObject();
        if (options is null)
        {
            writer.WriteEndObject();
            return;
        }

        WriteIfSet(writer, "instructions", options.Instructions);
        WriteIfSet(writer, "conversationId", options.ConversationId);
        WriteIfSet(writer, "temperature", options.Temperature);
        WriteIfSet(writer, "maxOutputTokens", options.MaxOutputTokens);
        WriteIfSet(writer, "topP", options.TopP);
        WriteIfSet(writer, "topK", options.TopK);
        WriteIfSet(writer, "frequencyPenalty", options.FrequencyPenalty);
        WriteIfSet(writer, "presencePenalty", options.PresencePenalty);
        if (options.Seed is { } seed)
        {
            writer.WriteNumber("seed", seed);
        }

        if (options.AllowMultipleToolCalls is { } multiple)
        {
            writer.WriteBoolean("allowMultipleToolCalls", multiple);
        }

        if (options.AllowBackgroundResponses is { } background)
        {
            writer.WriteBoolean("allowBackgroundResponses", background);
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            // A set of stop sequences: their order does not change the answer.
            writer.WritePropertyName("stop");
            writer.WriteStartArray();
            foreach (var stop in stops.Order(StringComparer.Ordinal))
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        WriteResponseFormat(writer, options.ResponseFormat);
        WriteToolMode(writer, options.ToolMode);
        if (options.Reasoning is { } reasoning)
        {
            writer.WritePropertyName("reasoning");
            WriteValue(writer, reasoning, json);
        }

        WriteTools(writer, options.Tools);
        WriteAdditionalProperties(writer, options.AdditionalProperties, json);
        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, float? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static void WriteResponseFormat(Utf8JsonWriter writer, ChatResponseFormat? format)
    {
        switch (format)
        {
            case null:
                return;
            case ChatResponseFormatText:
                writer.WriteString("responseFormat", "text");
                return;
            case ChatResponseFormatJson jsonFormat:
                writer.WritePropertyName("responseFormat");
                writer.WriteStartObject();
                writer.WriteString("type", "json");
                WriteIfSet(writer, "name", jsonFormat.SchemaName);
                WriteIfSet(writer, "description", jsonFormat.SchemaDescription);
                if (jsonFormat.Schema is { } schema)
                {
                    writer.WritePropertyName("schema");
                    WriteCanonical(writer, schema, skipAdditionalProperties: false);
                }

                writer.WriteEndObject();
                return;
            default:
                writer.WriteString("responseFormat", format.GetType().FullName);
                return;
        }
    }

    private static void WriteToolMode(Utf8JsonWriter writer, ChatToolMode? mode)
    {
        switch (mode)
        {
            case null:
                return;
            case NoneChatToolMode:
                writer.WriteString("toolMode", "none");
                return;
            case AutoChatToolMode:
                writer.WriteString("toolMode", "auto");
                return;
            case RequiredChatToolMode required:
                writer.WriteString("toolMode", "required:" + required.RequiredFunctionName);
                return;
            default:
                writer.WriteString("toolMode", mode.GetType().FullName);
                return;
        }
    }

    private static void WriteTools(Utf8JsonWriter writer, IList<AITool>? tools)
    {
        if (tools is not { Count: > 0 })
        {
            return;
        }

        // Tools are offered as a set: the order a pipeline happened to add them in does not change the key.
        var sorted = new AITool[tools.Count];
        tools.CopyTo(sorted, 0);
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        writer.WritePropertyName("tools");
        writer.WriteStartArray();
        foreach (var tool in sorted)
        {
            writer.WriteStartObject();
            writer.WriteString("name", tool.Name);
            writer.WriteString("description", tool.Description);
            if (tool is AIFunctionDeclaration function)
            {
                writer.WritePropertyName("schema");
                WriteCanonical(writer, function.JsonSchema, skipAdditionalProperties: false);
            }
            else
            {
                writer.WriteString("type", tool.GetType().FullName);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteAdditionalProperties(Utf8JsonWriter writer, AdditionalPropertiesDictionary? properties, JsonSerializerOptions json)
    {
        if (properties is not { Count: > 0 })
        {
            return;
        }

        var keys = new List<string>(properties.Count);
        foreach (var key in properties.Keys)
        {
            // The cache's own per-call settings steer the cache, not the model.
            if (!key.StartsWith(CacheOptions.PropertyPrefix, StringComparison.Ordinal))
            {
                keys.Add(key);
            }
        }

        if (keys.Count == 0)
        {
            return;
        }

        keys.Sort(StringComparer.Ordinal);
        writer.WritePropertyName("additional");
        writer.WriteStartObject();
        foreach (var key in keys)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, properties[key], json);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions json)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case JsonElement element:
                WriteCanonical(writer, element, skipAdditionalProperties: false);
                return;
            default:
                // Throws for a value the serializer cannot represent: the caller then bypasses the cache rather than
                // risk two different values sharing a key.
                WriteCanonical(writer, JsonSerializer.SerializeToElement(value, json.GetTypeInfo(value.GetType())), skipAdditionalProperties: false);
                return;
        }
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, bool skipAdditionalProperties)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    if (!(skipAdditionalProperties && property.NameEquals("additionalProperties")))
                    {
                        properties.Add(property);
                    }
                }

                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value, skipAdditionalProperties: false);
                }

                writer.WriteEndObject();
                return;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item, skipAdditionalProperties: false);
                }

                writer.WriteEndArray();
                return;
            default:
                element.WriteTo(writer);
                return;
        }
    }
}
