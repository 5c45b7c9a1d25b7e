using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Gemini.Wire;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// Reads a <c>GenerateContentResponse</c> with one forward pass of <see cref="Utf8JsonReader"/> over the event's UTF-8
/// bytes: the pass is also the syntax check (bad JSON throws <see cref="JsonException"/>) and tells Gemini's mid-stream
/// error object from a response, fields the client does not use are skipped without allocating, and the strings every
/// chunk repeats (model version, response id, role) are compared in UTF-8 with the previous chunk's and reused. One
/// instance reads one stream.
/// </summary>
/// <remarks>
/// The serializer's metadata path allocates a frame stack for every value nested as deep as a part is (about 2 KB per
/// event, measured in <c>GeminiStreamParsingBenchmarks</c>); this reader allocates only the objects it returns.
/// </remarks>
internal sealed class GeminiChunkReader
{
    private readonly ItemReader<GeminiCandidate> _readCandidate;
    private readonly ItemReader<GeminiPart> _readPart;
    private RepeatedString _modelVersion;
    private RepeatedString _responseId;
    private RepeatedString _role;

    public GeminiChunkReader()
    {
        // Bound once: a method group of an instance method would allocate a delegate per array read.
        _readCandidate = ReadCandidate;
        _readPart = ReadPart;
    }

    private delegate T ItemReader<T>(ref Utf8JsonReader reader);

    // A string the previous chunk sent, kept with its UTF-8 bytes so the next chunk's value is compared without transcoding.
    private readonly record struct RepeatedString(string? Text, byte[] Utf8);

    /// <summary>Reads a whole response body (an <c>error</c> member is skipped like any unknown one).</summary>
    /// <param name="json">The JSON.</param>
    /// <returns>The response.</returns>
    /// <exception cref="JsonException">The data is not JSON, or not a JSON object of the response's shape.</exception>
    public GeminiResponse Read(ReadOnlySpan<byte> json) => Read(json, stopAtError: false)!;

    /// <summary>Reads one stream event's JSON.</summary>
    /// <param name="json">The event data.</param>
    /// <param name="response">The response; <see langword="null"/> when the method returns <see langword="false"/>.</param>
    /// <returns>
    /// <see langword="false"/> when the data is Gemini's mid-stream error object: its first member is <c>error</c> (a
    /// response starts with <c>candidates</c>, <c>promptFeedback</c> or <c>usageMetadata</c>); the rest is not read.
    /// </returns>
    /// <exception cref="JsonException">The data is not JSON, or not a JSON object of the response's shape.</exception>
    public bool TryReadChunk(ReadOnlySpan<byte> json, [NotNullWhen(true)] out GeminiResponse? response)
    {
        response = Read(json, stopAtError: true);
        return response is not null;
    }

    private GeminiResponse? Read(ReadOnlySpan<byte> json, bool stopAtError)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        var first = stopAtError;
        var response = new GeminiResponse();
        while (NextProperty(ref reader))
        {
            var name = Name(ref reader);
            if (first && name.SequenceEqual("error"u8))
            {
                return null;
            }

            first = false;
            if (name.SequenceEqual("candidates"u8))
            {
                response.Candidates = ReadArray(ref reader, _readCandidate);
            }
            else if (name.SequenceEqual("usageMetadata"u8))
            {
                response.UsageMetadata = ReadUsage(ref reader);
            }
            else if (name.SequenceEqual("modelVersion"u8))
            {
                response.ModelVersion = Cached(ref reader, ref _modelVersion);
            }
            else if (name.SequenceEqual("responseId"u8))
            {
                response.ResponseId = Cached(ref reader, ref _responseId);
            }
            else if (name.SequenceEqual("promptFeedback"u8))
            {
                response.PromptFeedback = ReadPromptFeedback(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }

        if (reader.Read())
        {
            throw new JsonException("Unexpected data after the JSON object.");
        }

        return response;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} but found {reader.TokenType} at byte {reader.TokenStartIndex}.");
        }
    }

    // Moves to the next property name of the current object; false at its end. The reader then sits on the name.
    // These helpers run for every token: their failures are thrown from separate methods so that they stay small
    // enough to be inlined.
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            ThrowIncomplete("The JSON object is not closed.");
        }

        var type = reader.TokenType;
        if (type == JsonTokenType.PropertyName)
        {
            return true;
        }

        if (type != JsonTokenType.EndObject)
        {
            ThrowUnexpected("a property name", type);
        }

        return false;
    }

    // The property name the reader sits on, in UTF-8: compared with literals, which the JIT unrolls, where
    // ValueTextEquals is a call per candidate name. An escaped name (legal, never sent) is unescaped into a copy.
    private static ReadOnlySpan<byte> Name(ref Utf8JsonReader reader)
        => reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;

    // Moves to the value after a property name.
    private static JsonTokenType Value(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            ThrowIncomplete("A property has no value.");
        }

        return reader.TokenType;
    }

    private static void Skip(ref Utf8JsonReader reader)
    {
        Value(ref reader);
        reader.Skip();
    }

    // Reads the value after a property name: an object (read by readItem) or null.
    private static bool StartObject(ref Utf8JsonReader reader)
    {
        var type = Value(ref reader);
        if (type == JsonTokenType.StartObject)
        {
            return true;
        }

        if (type != JsonTokenType.Null)
        {
            ThrowUnexpected("an object", type);
        }

        return false;
    }

    private static string? String(ref Utf8JsonReader reader)
    {
        var type = Value(ref reader);
        if (type == JsonTokenType.String)
        {
            return reader.GetString();
        }

        if (type != JsonTokenType.Null)
        {
            ThrowUnexpected("a string", type);
        }

        return null;
    }

    private static int? Int(ref Utf8JsonReader reader)
    {
        var type = Value(ref reader);
        if (type == JsonTokenType.Number)
        {
            return reader.GetInt32();
        }

        if (type != JsonTokenType.Null)
        {
            ThrowUnexpected("a number", type);
        }

        return null;
    }

    private static bool? Bool(ref Utf8JsonReader reader)
    {
        var type = Value(ref reader);
        if (type is JsonTokenType.True or JsonTokenType.False)
        {
            return type == JsonTokenType.True;
        }

        if (type != JsonTokenType.Null)
        {
            ThrowUnexpected("true or false", type);
        }

        return null;
    }

    [DoesNotReturn]
    private static void ThrowIncomplete(string message) => throw new JsonException(message);

    [DoesNotReturn]
    private static void ThrowUnexpected(string expected, JsonTokenType found) => throw new JsonException($"Expected {expected} but found {found}.");

    private static string? Cached(ref Utf8JsonReader reader, ref RepeatedString last)
    {
        var type = Value(ref reader);
        if (type == JsonTokenType.Null)
        {
            return null;
        }

        if (type != JsonTokenType.String)
        {
            ThrowUnexpected("a string", type);
        }

        if (last.Text is null || !reader.ValueTextEquals(last.Utf8))
        {
            var text = reader.GetString()!;
            last = new RepeatedString(text, Encoding.UTF8.GetBytes(text));
        }

        return last.Text;
    }

    private static List<T>? ReadArray<T>(ref Utf8JsonReader reader, ItemReader<T> readItem)
    {
        var type = Value(ref reader);
        if (type == JsonTokenType.Null)
        {
            return null;
        }

        if (type != JsonTokenType.StartArray)
        {
            ThrowUnexpected("an array", type);
        }

        var items = new List<T>(1);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                ThrowUnexpected("an object in the array", reader.TokenType);
            }

            items.Add(readItem(ref reader));
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            ThrowIncomplete("The JSON array is not closed.");
        }

        return items;
    }

    private GeminiCandidate ReadCandidate(ref Utf8JsonReader reader)
    {
        var candidate = new GeminiCandidate();
        while (NextProperty(ref reader))
        {
            var name = Name(ref reader);
            if (name.SequenceEqual("content"u8))
            {
                candidate.Content = StartObject(ref reader) ? ReadContent(ref reader) : null;
            }
            else if (name.SequenceEqual("finishReason"u8))
            {
                candidate.FinishReason = String(ref reader);
            }
            else if (name.SequenceEqual("finishMessage"u8))
            {
                candidate.FinishMessage = String(ref reader);
            }
            else if (name.SequenceEqual("safetyRatings"u8))
            {
                candidate.SafetyRatings = ReadArray(ref reader, ReadSafetyRating);
            }
            else
            {
                Skip(ref reader);
            }
        }

        return candidate;
    }

    private GeminiContent ReadContent(ref Utf8JsonReader reader)
    {
        var content = new GeminiContent();
        while (NextProperty(ref reader))
        {
            var name = Name(ref reader);
            if (name.SequenceEqual("parts"u8))
            {
                content.Parts = ReadArray(ref reader, _readPart);
            }
            else if (name.SequenceEqual("role"u8))
            {
                content.Role = Cached(ref reader, ref _role);
            }
            else
            {
                Skip(ref reader);
            }
        }

        return content;
    }

    private GeminiPart ReadPart(ref Utf8JsonReader reader)
    {
        var part = new GeminiPart();
        while (NextProperty(ref reader))
        {
            var name = Name(ref reader);
            if (name.SequenceEqual("text"u8))
            {
                part.Text = String(ref reader);
            }
            else if (name.SequenceEqual("thought"u8))
            {
                part.Thought = Bool(ref reader);
            }
            else if (name.SequenceEqual("thoughtSignature"u8))
            {
                part.ThoughtSignature = String(ref reader);
            }
            else if (name.SequenceEqual("functionCall"u8))
            {
                part.FunctionCall = StartObject(ref reader) ? ReadFunctionCall(ref reader) : null;
            }
            else if (name.SequenceEqual("inlineData"u8))
            {
                part.InlineData = StartObject(ref reader) ? ReadInlineData(ref reader) : null;
            }
            else if (name.SequenceEqual("fileData"u8))
            {
                part.FileData = StartObject(ref reader) ? ReadFileData(ref reader) : null;
            }
            else
            {
                Skip(ref reader);
            }
        }

        return part;
    }

    private static GeminiFunctionCall ReadFunctionCall(ref Utf8JsonReader reader)
    {
        var call = new GeminiFunctionCall();
        while (NextProperty(ref reader))
        {
            var name = Name(ref reader);
            if (name.SequenceEqual("name"u8))
            {
                call.Name = String(ref reader);
            }
            else if (name.SequenceEqual("id"u8))
            {
                call.Id = String(ref reader);
            }
            else if (name.SequenceEqual("args"u8))
            {
                Value(ref reader);
                call.Args = JsonElement.ParseValue(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }

        return call;
    }

    private static GeminiInlineData ReadInlineData(ref Utf8JsonReader reader)
    {
        var data = new GeminiInlineData();
        while (NextProperty(ref reader))
        {
            var name = Name(ref reader);
            if (name.SequenceEqual("mimeType"u8))
            {
                data.MimeType = String(ref reader);
            }
            else if (name.SequenceEqual("data"u8))
            {
                data.Data = String(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }

        return data;
    }

    private static GeminiFileData ReadFileData(ref Utf8JsonReader reader)
    {
        var data = new GeminiFileData();
        while (NextProperty(ref reader))
        {
            var name = Name(ref reader);
            if (name.SequenceEqual("mimeType"u8))
            {
                data.MimeType = String(ref reader);
            }
            else if (name.SequenceEqual("fileUri"u8))
            {
                data.FileUri = String(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }

        return data;
    }

    private static GeminiSafetyRating ReadSafetyRating(ref Utf8JsonReader reader)
    {
        var rating = new GeminiSafetyRating();
        while (NextProperty(ref reader))
        {
            var name = Name(ref reader);
            if (name.SequenceEqual("category"u8))
            {
                rating.Category = String(ref reader);
            }
            else if (name.SequenceEqual("probability"u8))
            {
                rating.Probability = String(ref reader);
            }
            else if (name.SequenceEqual("blocked"u8))
            {
                rating.Blocked = Bool(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }

        return rating;
    }

    private static GeminiPromptFeedback? ReadPromptFeedback(ref Utf8JsonReader reader)
    {
        if (!StartObject(ref reader))
        {
            return null;
        }

        var feedback = new GeminiPromptFeedback();
        while (NextProperty(ref reader))
        {
            var name = Name(ref reader);
            if (name.SequenceEqual("blockReason"u8))
            {
                feedback.BlockReason = String(ref reader);
            }
            else if (name.SequenceEqual("safetyRatings"u8))
            {
                feedback.SafetyRatings = ReadArray(ref reader, ReadSafetyRating);
            }
            else
            {
                Skip(ref reader);
            }
        }

        return feedback;
    }

    private static GeminiUsage? ReadUsage(ref Utf8JsonReader reader)
    {
        if (!StartObject(ref reader))
        {
            return null;
        }

        var usage = new GeminiUsage();
        while (NextProperty(ref reader))
        {
            var name = Name(ref reader);
            if (name.SequenceEqual("promptTokenCount"u8))
            {
                usage.PromptTokenCount = Int(ref reader);
            }
            else if (name.SequenceEqual("candidatesTokenCount"u8))
            {
                usage.CandidatesTokenCount = Int(ref reader);
            }
            else if (name.SequenceEqual("totalTokenCount"u8))
            {
                usage.TotalTokenCount = Int(ref reader);
            }
            else if (name.SequenceEqual("cachedContentTokenCount"u8))
            {
                usage.CachedContentTokenCount = Int(ref reader);
            }
            else if (name.SequenceEqual("thoughtsTokenCount"u8))
            {
                usage.ThoughtsTokenCount = Int(ref reader);
            }
            else if (name.SequenceEqual("toolUsePromptTokenCount"u8))
            {
                usage.ToolUsePromptTokenCount = Int(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }

        return usage;
    }
}
