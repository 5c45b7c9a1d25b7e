using System.Text;
using System.Text.Json;

namespace AiAllin.SK.Connectors.Cohere.Wire;

/// <summary>
/// Reads one <c>/v2/chat</c> stream event with a <see cref="Utf8JsonReader"/> straight from the SSE buffer. The hot
/// events (text, tool-plan and argument deltas) become one small object and the delta's string; citations and usage,
/// a few per stream, go through the source-generated context. <c>message-start</c> sends empty arrays where later
/// events send one object (<c>content</c>, <c>tool_calls</c>, <c>citations</c>); arrays are skipped.
/// </summary>
/// <remarks>Hand-read because this runs once per token: it allocates a third of what deserializing the nested
/// types did (see <c>CohereStreamParsingBenchmarks</c>).</remarks>
internal static class CohereStreamEventParser
{
    /// <summary>Parses the event; the SSE event type names the kind when the JSON has no <c>type</c>.</summary>
    /// <exception cref="JsonException">The data is not a JSON object of the expected shape.</exception>
    public static CohereStreamEvent Parse(ReadOnlySpan<byte> json, ReadOnlySpan<byte> sseEventType)
    {
        var result = new CohereStreamEvent { Kind = KindOf(sseEventType) };
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && KindOf(ref reader) is var kind && kind != CohereStreamEventKind.Other)
                {
                    result.Kind = kind;
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                result.Id = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                result.Index = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : null;
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                ReadDelta(ref reader, result);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("The event is not a single JSON object.");
        }

        return result;
    }

    // An event type in UTF-8: the SSE event field (empty when the server named none) or the JSON "type".
    private static CohereStreamEventKind KindOf(ReadOnlySpan<byte> type) =>
        type.SequenceEqual("content-delta"u8) ? CohereStreamEventKind.ContentDelta
        : type.SequenceEqual("tool-call-delta"u8) ? CohereStreamEventKind.ToolCallDelta
        : type.SequenceEqual("tool-plan-delta"u8) ? CohereStreamEventKind.ToolPlanDelta
        : type.SequenceEqual("message-start"u8) ? CohereStreamEventKind.MessageStart
        : type.SequenceEqual("content-start"u8) ? CohereStreamEventKind.ContentStart
        : type.SequenceEqual("content-end"u8) ? CohereStreamEventKind.ContentEnd
        : type.SequenceEqual("tool-call-start"u8) ? CohereStreamEventKind.ToolCallStart
        : type.SequenceEqual("tool-call-end"u8) ? CohereStreamEventKind.ToolCallEnd
        : type.SequenceEqual("citation-start"u8) ? CohereStreamEventKind.CitationStart
        : type.SequenceEqual("citation-end"u8) ? CohereStreamEventKind.CitationEnd
        : type.SequenceEqual("message-end"u8) ? CohereStreamEventKind.MessageEnd
        : CohereStreamEventKind.Other;

    // The "type" string value; an escaped one (legal, never sent) is unescaped into a copy first.
    private static CohereStreamEventKind KindOf(ref Utf8JsonReader reader)
        => KindOf(reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan);

    private static void ReadDelta(ref Utf8JsonReader reader, CohereStreamEvent result)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                ReadMessage(ref reader, result);
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                result.FinishReason = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                result.Error = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                result.Usage = JsonSerializer.Deserialize(ref reader, CohereJsonContext.Default.CohereUsage);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadMessage(ref Utf8JsonReader reader, CohereStreamEvent result)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                ReadObject(ref reader, result, static (ref Utf8JsonReader r, CohereStreamEvent e) =>
                {
                    if (r.ValueTextEquals("text"u8))
                    {
                        e.Text = ReadString(ref r);
                    }
                    else if (r.ValueTextEquals("thinking"u8))
                    {
                        e.Thinking = ReadString(ref r);
                    }
                    else if (r.ValueTextEquals("type"u8))
                    {
                        e.ContentType = ReadString(ref r);
                    }
                    else
                    {
                        r.Read();
                        r.Skip();
                    }
                });
            }
            else if (reader.ValueTextEquals("tool_plan"u8))
            {
                result.ToolPlan = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                ReadObject(ref reader, result, static (ref Utf8JsonReader r, CohereStreamEvent e) =>
                {
                    if (r.ValueTextEquals("id"u8))
                    {
                        e.ToolCallId = ReadString(ref r);
                    }
                    else if (r.ValueTextEquals("function"u8))
                    {
                        r.Read();
                        ReadObject(ref r, e, static (ref Utf8JsonReader f, CohereStreamEvent fe) =>
                        {
                            if (f.ValueTextEquals("name"u8))
                            {
                                fe.ToolName = ReadString(ref f);
                            }
                            else if (f.ValueTextEquals("arguments"u8))
                            {
                                fe.Arguments = ReadString(ref f);
                            }
                            else
                            {
                                f.Read();
                                f.Skip();
                            }
                        });
                    }
                    else
                    {
                        r.Read();
                        r.Skip();
                    }
                });
            }
            else if (reader.ValueTextEquals("citations"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    result.Citation = JsonSerializer.Deserialize(ref reader, CohereJsonContext.Default.CohereCitation);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private delegate void MemberReader(ref Utf8JsonReader reader, CohereStreamEvent result);

    // Reads an object member by member (the reader is on each property name when memberReader runs); an array or any
    // other value is skipped.
    private static void ReadObject(ref Utf8JsonReader reader, CohereStreamEvent result, MemberReader memberReader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            memberReader(ref reader, result);
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Null:
                return null;
            default:
                reader.Skip();
                throw new JsonException($"Expected a string, found {reader.TokenType}.");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new JsonException($"Expected {token}.");
        }
    }
}
