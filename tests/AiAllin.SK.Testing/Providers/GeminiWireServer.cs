using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// Speaks the Gemini API as its public reference documents it: <c>POST /{version}/models/{model}:generateContent</c>
/// (a whole <c>GenerateContentResponse</c>), <c>:streamGenerateContent?alt=sse</c> (server-sent <c>data:</c> events,
/// each a <c>GenerateContentResponse</c> chunk with the running <c>usageMetadata</c>), <c>:embedContent</c> and
/// <c>:batchEmbedContents</c>; the Vertex AI path shape
/// <c>/v1/projects/{p}/locations/{l}/publishers/google/models/{model}:{method}</c> is served too.
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="ScriptedReply"/> becomes: reasoning chunks as thought parts (<c>"thought": true</c>), text chunks as
/// text parts, and all tool calls as <c>functionCall</c> parts of one chunk (Gemini sends whole calls, never argument
/// fragments; the call id goes in <c>functionCall.id</c>). With reasoning, the first non-thought part carries
/// <c>thoughtSignature</c> = <see cref="SignatureFor"/>, as Gemini does. The last chunk carries <c>finishReason</c>:
/// <c>stop</c> and <c>tool_calls</c> → <c>STOP</c> (Gemini has no tool-call reason), <c>length</c> →
/// <c>MAX_TOKENS</c>, <c>content_filter</c> → <c>SAFETY</c>; the extra <c>finish_reason</c> (a string) sends that
/// word instead, <c>block_reason</c> answers with a blocked prompt (<c>promptFeedback.blockReason</c>, no candidates),
/// and <c>cached_tokens</c> / <c>thoughts_tokens</c> (ints) fill <c>cachedContentTokenCount</c> / <c>thoughtsTokenCount</c>.
/// </para>
/// <para>
/// Errors use the documented body <c>{"error":{"code":…,"message":…,"status":…}}</c> with the scripted code as
/// <c>status</c>; a request that carries neither <c>x-goog-api-key</c> nor a bearer token is refused with 403
/// <c>PERMISSION_DENIED</c>, as the real API does. The in-stream error is <c>data: {"error":{…,"status":"UNAVAILABLE"}}</c>.
/// </para>
/// </remarks>
public sealed class GeminiWireServer : WireServer
{
    private static readonly JsonSerializerOptions CompactJson = new() { WriteIndented = false };
    private int _responseCounter;

    /// <inheritdoc />
    public override string ProviderName => "Gemini";

    /// <summary>Gets the thought signature the server attaches after the given reasoning.</summary>
    /// <param name="reasoning">The whole reasoning text.</param>
    /// <returns>An opaque base64 signature, stable for the same text.</returns>
    public static string SignatureFor(string reasoning)
    {
        ArgumentNullException.ThrowIfNull(reasoning);
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("gemini-thought:" + reasoning)));
    }

    /// <summary>Maps a neutral finish reason to Gemini's <c>finishReason</c>.</summary>
    /// <param name="finishReason">The neutral reason.</param>
    /// <returns>The Gemini word.</returns>
    public static string FinishReasonFor(string finishReason) => finishReason switch
    {
        "length" => "MAX_TOKENS",
        "content_filter" => "SAFETY",
        _ => "STOP",
    };

    /// <summary>Splits a request path into the model and the method, or returns <see langword="null"/> for paths the API does not have.</summary>
    /// <param name="path">The request path.</param>
    /// <returns>The model and method.</returns>
    public static (string Model, string Method)? ParsePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var at = path.LastIndexOf("/models/", StringComparison.Ordinal);
        var colon = path.LastIndexOf(':');
        if (at < 0 || colon < at)
        {
            return null;
        }

        var model = Uri.UnescapeDataString(path[(at + "/models/".Length)..colon]);
        var prefix = path[..at];
        var apiShape = prefix.Count(c => c == '/') == 1;
        var vertexShape = prefix.StartsWith("/v1/projects/", StringComparison.Ordinal) && prefix.EndsWith("/publishers/google", StringComparison.Ordinal);
        return apiShape || vertexShape ? (model, path[(colon + 1)..]) : null;
    }

    /// <inheritdoc />
    public override WireRequestView Describe(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Body as JsonObject ?? [];
        var messages = new List<(string Role, string Text)>();
        var toolCalls = new List<(string CallId, string Name, string Arguments)>();
        var toolResults = new List<(string CallId, string Result)>();
        foreach (var content in body["contents"] as JsonArray ?? [])
        {
            DescribeContent(content as JsonObject ?? [], messages, toolCalls, toolResults);
        }

        var toolNames = new List<string>();
        var toolSchemas = new Dictionary<string, string>();
        foreach (var declaration in (body["tools"] as JsonArray ?? []).SelectMany(t => t?["functionDeclarations"] as JsonArray ?? []))
        {
            if (declaration?["name"]?.GetValue<string>() is { } name)
            {
                toolNames.Add(name);
                toolSchemas[name] = declaration["parameters"]?.ToJsonString(CompactJson) ?? "{}";
            }
        }

        var config = body["generationConfig"] as JsonObject;
        var parsed = ParsePath(request.Path);
        return new WireRequestView
        {
            Model = parsed?.Model,
            Stream = parsed?.Method == "streamGenerateContent",
            MaxTokens = config?["maxOutputTokens"] is JsonValue maxTokens ? maxTokens.GetValue<int>() : null,
            Temperature = config?["temperature"] is JsonValue temperature ? temperature.GetValue<double>() : null,
            System = body["systemInstruction"] is JsonObject system ? TextOf(system) : null,
            Messages = messages,
            ToolNames = toolNames,
            ToolSchemas = toolSchemas,
            ToolCalls = toolCalls,
            ToolResults = toolResults,
            Credential = request.Header("x-goog-api-key") ?? BearerOf(request.Header("authorization")),
        };
    }

    /// <inheritdoc />
    protected override async Task HandleAsync(HttpContext context, RecordedRequest request, ScriptedReply reply)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reply);
        var number = Interlocked.Increment(ref _responseCounter);
        var parsed = ParsePath(request.Path);
        if (parsed is not { } route || request.Method != HttpMethods.Post || route.Method is not ("generateContent" or "streamGenerateContent" or "embedContent" or "batchEmbedContents"))
        {
            await WriteErrorAsync(context, new ScriptedError(404, "NOT_FOUND", $"Method not found: {request.Method} {request.Path}"), ErrorBody(404, "NOT_FOUND", $"Method not found: {request.Method} {request.Path}")).ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(request.Header("x-goog-api-key")) && BearerOf(request.Header("authorization")) is null)
        {
            const string Missing = "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
            await WriteErrorAsync(context, new ScriptedError(403, "PERMISSION_DENIED", Missing), ErrorBody(403, "PERMISSION_DENIED", Missing)).ConfigureAwait(false);
            return;
        }

        if (reply.Error is { } error)
        {
            await WriteErrorAsync(context, error, ErrorBody(error.Status, error.Code, error.Message)).ConfigureAwait(false);
            return;
        }

        var model = reply.Model ?? route.Model;
        var id = reply.ResponseId ?? string.Create(CultureInfo.InvariantCulture, $"wire{number:D6}Gm");
        switch (route.Method)
        {
            case "generateContent":
                await WriteJsonAsync(context, Whole(reply, id, model)).ConfigureAwait(false);
                break;
            case "streamGenerateContent":
                await StreamAsync(context, request, reply, id, model).ConfigureAwait(false);
                break;
            default:
                await WriteJsonAsync(context, Embeddings(request, reply, route.Method == "batchEmbedContents")).ConfigureAwait(false);
                break;
        }
    }

    private static JsonObject ErrorBody(int code, string status, string message) => new()
    {
        ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status },
    };

    private static JsonObject Embeddings(RecordedRequest request, ScriptedReply reply, bool batch)
    {
        var requests = batch ? (request.Body?["requests"] as JsonArray ?? []).OfType<JsonObject>().ToList() : [request.Body as JsonObject ?? []];
        var vectors = new JsonArray();
        for (var i = 0; i < requests.Count; i++)
        {
            var text = string.Concat((requests[i]["content"]?["parts"] as JsonArray ?? []).Select(p => p?["text"]?.GetValue<string>()));
            var dimensions = requests[i]["outputDimensionality"] is JsonValue d ? d.GetValue<int>() : 8;
            var vector = reply.Embeddings is { } scripted && i < scripted.Count ? scripted[i] : DeterministicEmbedding.For(text, dimensions);
            vectors.Add(new JsonObject { ["values"] = new JsonArray([.. vector.Select(v => (JsonNode)JsonValue.Create(v))]) });
        }

        return batch ? new JsonObject { ["embeddings"] = vectors } : new JsonObject { ["embedding"] = vectors[0]!.DeepClone() };
    }

    private static JsonObject Usage(ScriptedReply reply, int outputSoFar)
    {
        var input = reply.Usage?.InputTokens ?? 0;
        var thoughts = reply.Extras.TryGetValue("thoughts_tokens", out var t) && t is int thinking ? thinking : 0;
        var usage = new JsonObject
        {
            ["promptTokenCount"] = input,
            ["candidatesTokenCount"] = outputSoFar,
            ["totalTokenCount"] = input + outputSoFar + thoughts,
        };
        if (reply.Extras.TryGetValue("cached_tokens", out var c) && c is int cached)
        {
            usage["cachedContentTokenCount"] = cached;
        }

        if (thoughts > 0)
        {
            usage["thoughtsTokenCount"] = thoughts;
        }

        return usage;
    }

    private static string FinishOf(ScriptedReply reply)
        => reply.Extras.TryGetValue("finish_reason", out var raw) && raw is string word ? word : FinishReasonFor(reply.EffectiveFinishReason);

    private static string? BlockOf(ScriptedReply reply)
        => reply.Extras.TryGetValue("block_reason", out var raw) && raw is string word ? word : null;

    private static JsonObject Chunk(JsonArray? parts, string? finishReason, JsonObject usage, string id, string model)
    {
        var candidate = new JsonObject { ["content"] = new JsonObject { ["parts"] = parts ?? [], ["role"] = "model" } };
        if (finishReason is not null)
        {
            candidate["finishReason"] = finishReason;
        }

        candidate["index"] = 0;
        return new JsonObject
        {
            ["candidates"] = new JsonArray(candidate),
            ["usageMetadata"] = usage,
            ["modelVersion"] = model,
            ["responseId"] = id,
        };
    }

    private static JsonObject Blocked(ScriptedReply reply, string block, string id, string model) => new()
    {
        ["promptFeedback"] = new JsonObject
        {
            ["blockReason"] = block,
            ["safetyRatings"] = new JsonArray(new JsonObject { ["category"] = "HARM_CATEGORY_DANGEROUS_CONTENT", ["probability"] = "HIGH", ["blocked"] = true }),
        },
        ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = reply.Usage?.InputTokens ?? 0, ["totalTokenCount"] = reply.Usage?.InputTokens ?? 0 },
        ["modelVersion"] = model,
        ["responseId"] = id,
    };

    private static JsonNode ArgsOf(string arguments)
    {
        if (arguments.Length == 0)
        {
            return new JsonObject();
        }

        try
        {
            return JsonNode.Parse(arguments) as JsonObject ?? (JsonNode)JsonValue.Create(arguments);
        }
        catch (JsonException)
        {
            return JsonValue.Create(arguments);
        }
    }

    // The parts of the answer, in order, each with whether it counts as a content chunk; signed like Gemini signs.
    private static List<(JsonObject Part, bool Thought)> Parts(ScriptedReply reply, bool streamed)
    {
        var parts = new List<(JsonObject Part, bool Thought)>();
        if (reply.ReasoningChunks.Count > 0)
        {
            foreach (var chunk in streamed ? reply.ReasoningChunks : [reply.Reasoning])
            {
                parts.Add((new JsonObject { ["text"] = chunk, ["thought"] = true }, true));
            }
        }

        foreach (var chunk in streamed ? reply.TextChunks : reply.TextChunks.Count > 0 ? [reply.Text] : [])
        {
            parts.Add((new JsonObject { ["text"] = chunk }, false));
        }

        foreach (var call in reply.ToolCalls)
        {
            parts.Add((new JsonObject { ["functionCall"] = new JsonObject { ["name"] = call.Name, ["args"] = ArgsOf(call.Arguments), ["id"] = call.Id } }, false));
        }

        if (reply.ReasoningChunks.Count > 0)
        {
            var signed = parts.FirstOrDefault(p => !p.Thought).Part;
            if (signed is null)
            {
                signed = new JsonObject { ["text"] = string.Empty };
                parts.Add((signed, false));
            }

            signed["thoughtSignature"] = SignatureFor(reply.Reasoning);
        }

        return parts;
    }

    private static JsonObject Whole(ScriptedReply reply, string id, string model)
    {
        if (BlockOf(reply) is { } block)
        {
            return Blocked(reply, block, id, model);
        }

        var parts = new JsonArray([.. Parts(reply, streamed: false).Select(p => (JsonNode)p.Part)]);
        return Chunk(parts, FinishOf(reply), Usage(reply, reply.Usage?.OutputTokens ?? 0), id, model);
    }

    private static string? TextOf(JsonObject content)
    {
        var texts = (content["parts"] as JsonArray ?? []).OfType<JsonObject>().Where(p => p["thought"] is null).Select(p => p["text"]?.GetValue<string>()).Where(t => t is not null).ToList();
        return texts.Count == 0 ? null : string.Join("\n", texts);
    }

    private static string? BearerOf(string? authorization)
        => authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;

    private static void DescribeContent(
        JsonObject content,
        List<(string Role, string Text)> messages,
        List<(string CallId, string Name, string Arguments)> toolCalls,
        List<(string CallId, string Result)> toolResults)
    {
        var role = content["role"]?.GetValue<string>() == "model" ? "assistant" : "user";
        var text = new StringBuilder();
        var hasMessageContent = role == "assistant";
        foreach (var part in (content["parts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (part["functionCall"] is JsonObject call)
            {
                var name = call["name"]?.GetValue<string>() ?? string.Empty;
                toolCalls.Add((call["id"]?.GetValue<string>() ?? name, name, call["args"]?.ToJsonString(CompactJson) ?? "{}"));
            }
            else if (part["functionResponse"] is JsonObject response)
            {
                var name = response["name"]?.GetValue<string>() ?? string.Empty;
                var result = response["response"]?.ToJsonString(CompactJson) ?? string.Empty;
                toolResults.Add((response["id"]?.GetValue<string>() ?? name, result));
                messages.Add(("tool", result));
            }
            else if (part["thought"] is null && part["text"]?.GetValue<string>() is { Length: > 0 } partText)
            {
                text.Append(partText);
                hasMessageContent = true;
            }
            else if (part["inlineData"] is not null || part["fileData"] is not null)
            {
                hasMessageContent = true;
            }
        }

        if (hasMessageContent)
        {
            messages.Add((role, text.ToString()));
        }
    }

    private async Task StreamAsync(HttpContext context, RecordedRequest request, ScriptedReply reply, string id, string model)
    {
        if (!request.Query.Contains("alt=sse", StringComparison.Ordinal))
        {
            // Without alt=sse the API streams one JSON array; clients of this server must ask for SSE.
            await WriteErrorAsync(context, new ScriptedError(400, "INVALID_ARGUMENT", "test server: streamGenerateContent is served with alt=sse only"), ErrorBody(400, "INVALID_ARGUMENT", "test server: streamGenerateContent is served with alt=sse only")).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.ContentDisposition = "attachment";
        if (BlockOf(reply) is { } block)
        {
            await WriteChunkAsync(context, reply, Event(Blocked(reply, block, id, model))).ConfigureAwait(false);
            return;
        }

        var parts = Parts(reply, streamed: true);
        var calls = parts.Where(p => p.Part["functionCall"] is not null).Select(p => p.Part).ToList();
        var contentParts = parts.Where(p => p.Part["functionCall"] is null).ToList();
        var contentChunks = 0;
        var outputSoFar = 0;
        var total = contentParts.Count + (calls.Count > 0 ? 1 : 0);
        var sent = 0;
        if (await InterruptAsync(context, reply, contentChunks).ConfigureAwait(false))
        {
            return;
        }

        foreach (var (part, thought) in contentParts)
        {
            var last = ++sent == total;
            if (!thought)
            {
                outputSoFar = Math.Min(reply.Usage?.OutputTokens ?? 0, outputSoFar + 1);
            }

            var chunk = Chunk(new JsonArray(part), last ? FinishOf(reply) : null, Usage(reply, last ? reply.Usage?.OutputTokens ?? 0 : outputSoFar), id, model);
            if (!await WriteChunkAsync(context, reply, Event(chunk)).ConfigureAwait(false))
            {
                return;
            }

            if (part["text"]?.GetValue<string>() is { Length: > 0 } && await InterruptAsync(context, reply, ++contentChunks).ConfigureAwait(false))
            {
                return;
            }
        }

        if (calls.Count > 0)
        {
            var chunk = Chunk(new JsonArray([.. calls]), FinishOf(reply), Usage(reply, reply.Usage?.OutputTokens ?? 0), id, model);
            if (await WriteChunkAsync(context, reply, Event(chunk)).ConfigureAwait(false))
            {
                await InterruptAsync(context, reply, contentChunks + reply.ToolCalls.Sum(c => c.ArgumentFragments.Length)).ConfigureAwait(false);
            }
        }
    }

    private static string Event(JsonObject data) => $"data: {data.ToJsonString(CompactJson)}\r\n\r\n";

    // Returns true when the scripted interruption after this many content chunks ended the stream.
    private async Task<bool> InterruptAsync(HttpContext context, ScriptedReply reply, int contentChunks)
    {
        if (reply.MalformedAfter == contentChunks)
        {
            await WriteChunkAsync(context, reply, "data: {\"candidates\": [{\"content\": {\"parts\": [{not json\r\n\r\n").ConfigureAwait(false);
            return true;
        }

        if (reply.ErrorEventAfter == contentChunks)
        {
            await WriteChunkAsync(context, reply, Event(ErrorBody(503, "UNAVAILABLE", reply.ErrorEventMessage))).ConfigureAwait(false);
            return true;
        }

        if (reply.StallAfter == contentChunks)
        {
            await StallAsync(context).ConfigureAwait(false);
            return true;
        }

        return false;
    }
}
