using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Gives ids to the tool calls of a whole (non-streamed) chat completion that came without one (<c>id</c> missing,
/// <c>null</c> or empty: older Ollama <c>/v1</c>, some vLLM and llama.cpp versions). The Microsoft.Extensions.AI
/// adapter throws <see cref="ArgumentNullException"/> on such a call before any of our code sees the response, so the
/// body is repaired before the SDK parses it, with the same id scheme as the streamed repair (shown on recorded
/// traffic by <c>OpenAIRecordedGapFixTests.NonStreamedToolCall_WithoutId_GetsAGeneratedId</c>).
/// </summary>
internal static class OpenAIToolCallIdRepair
{

    /// <summary>Returns the body with generated tool call ids, or <see langword="null"/> when it needs none.</summary>
    /// <param name="body">The response body.</param>
    /// <returns>The repaired body, or <see langword="null"/> to pass the original on untouched.</returns>
    public static byte[]? Repair(ReadOnlySpan<byte> body)
    {
        // Most bodies carry no tool call at all; a substring search is all they cost.
        if (body.IndexOf("\"tool_calls\""u8) < 0 || !LacksId(body))
        {
            return null;
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }

        if (parsed is not JsonObject root || root["choices"] is not JsonArray choices)
        {
            return null;
        }

        var scope = root["id"] is JsonValue idValue && idValue.TryGetValue(out string? responseId) && responseId.Length > 0 ? responseId : OpenAIStreamRepair.NewFallbackScope();
        var index = 0;
        var changed = false;
        foreach (var choice in choices)
        {
            if (choice is not JsonObject choiceObject || choiceObject["message"] is not JsonObject message || message["tool_calls"] is not JsonArray calls)
            {
                continue;
            }

            foreach (var call in calls)
            {
                if (call is JsonObject callObject && !HasId(callObject))
                {
                    callObject["id"] = OpenAIStreamRepair.GenerateCallId(scope, index);
                    changed = true;
                }

                index++;
            }
        }

        if (!changed)
        {
            return null;
        }

        var output = new ArrayBufferWriter<byte>(body.Length + (index * 48));
        using (var writer = new Utf8JsonWriter(output))
        {
            root.WriteTo(writer);
        }

        return output.WrittenSpan.ToArray();
    }

    private static bool HasId(JsonObject call) => call["id"] is JsonValue id && id.TryGetValue(out string? value) && value.Length > 0;

    // Walks the body without allocating; a body that is not valid JSON is left for the SDK to report.
    private static bool LacksId(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("tool_calls"u8))
                {
                    continue;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    continue;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    if (!ReadHasId(ref reader))
                    {
                        return true;
                    }
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return false;
    }

    // Reads one tool call object (the reader is on its start) up to its end.
    private static bool ReadHasId(ref Utf8JsonReader reader)
    {
        var hasId = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            hasId |= isId && reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
            reader.Skip();
        }

        return hasId;
    }
}
