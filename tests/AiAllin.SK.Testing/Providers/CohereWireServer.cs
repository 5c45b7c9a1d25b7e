using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// Speaks Cohere's v2 API as its public reference documents it: <c>POST /v2/chat</c> (a whole response, or, with
/// <c>"stream": true</c>, server-sent events <c>message-start</c>, <c>tool-plan-delta</c>, <c>content-start</c> /
/// <c>content-delta</c> / <c>content-end</c>, <c>citation-start</c> / <c>citation-end</c>, <c>tool-call-start</c> /
/// <c>tool-call-delta</c> / <c>tool-call-end</c> per call, and <c>message-end</c> with the finish reason and usage),
/// <c>POST /v2/embed</c> and <c>POST /v2/rerank</c>.
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="ScriptedReply"/>'s reasoning chunks become the tool plan (<c>tool-plan-delta</c>), its text chunks
/// <c>content-delta</c>s, its tool calls one start/delta.../end sequence each. Finish reasons map <c>stop</c>→<c>COMPLETE</c>,
/// <c>length</c>→<c>MAX_TOKENS</c>, <c>tool_calls</c>→<c>TOOL_CALL</c>, <c>content_filter</c>→<c>ERROR</c>. The extra
/// <c>citations</c> (a <see cref="JsonArray"/> of citation objects as Cohere writes them) is sent as
/// <c>message.citations</c>, or as one <c>citation-start</c>/<c>citation-end</c> pair each after the text when streamed.
/// Usage is reported both as <c>billed_units</c> and <c>tokens</c>.
/// </para>
/// <para>
/// Errors use Cohere's documented body <c>{"id": …, "message": …}</c>; a request without a bearer token is refused
/// with 401 as the real API does. The in-stream error is the documented <c>message-end</c> with
/// <c>finish_reason</c> <c>ERROR</c> and <c>delta.error</c>.
/// </para>
/// <para>
/// Embeddings: each text's float vector is <see cref="DeterministicEmbedding.For"/> at <c>output_dimension</c> (8 when
/// none) unless <see cref="ScriptedReply.Embeddings"/> gives them; <c>int8</c> is that vector times 127, <c>uint8</c>
/// (x+1)·127.5, <c>ubinary</c>/<c>binary</c> its signs packed most significant bit first (unsigned / minus 128).
/// Rerank scores each document by the share of the query's words it contains (a deterministic stand-in for the
/// model), so tests know the order to expect; <c>top_n</c> cuts the sorted results.
/// </para>
/// </remarks>
public sealed class CohereWireServer : WireServer
{
    /// <summary>The chat path.</summary>
    public const string ChatPath = "/v2/chat";

    /// <summary>The embed path.</summary>
    public const string EmbedPath = "/v2/embed";

    /// <summary>The rerank path.</summary>
    public const string RerankPath = "/v2/rerank";

    private static readonly JsonSerializerOptions CompactJson = new() { WriteIndented = false };
    private int _responseCounter;

    /// <inheritdoc />
    public override string ProviderName => "Cohere";

    /// <summary>Maps a neutral finish reason to Cohere's.</summary>
    /// <param name="finishReason">The neutral reason.</param>
    /// <returns>Cohere's word.</returns>
    public static string FinishReasonFor(string finishReason) => finishReason switch
    {
        "length" => "MAX_TOKENS",
        "tool_calls" => "TOOL_CALL",
        "content_filter" => "ERROR",
        _ => "COMPLETE",
    };

    /// <summary>Gets the relevance this server gives a document for a query: the share of the query's words it contains.</summary>
    /// <param name="query">The query.</param>
    /// <param name="document">The document.</param>
    /// <returns>A score between 0 and 1.</returns>
    public static double RelevanceFor(string query, string document)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(document);
        var words = Words(query);
        if (words.Count == 0)
        {
            return 0;
        }

        var documentWords = Words(document);
        return Math.Round((double)words.Count(documentWords.Contains) / words.Count, 6);
    }

    /// <summary>Packs the signs of a vector most significant bit first, as Cohere's <c>ubinary</c>.</summary>
    /// <param name="vector">The float vector.</param>
    /// <returns>One value 0–255 per eight dimensions.</returns>
    public static int[] PackSigns(float[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var packed = new int[(vector.Length + 7) / 8];
        for (var i = 0; i < vector.Length; i++)
        {
            if (vector[i] > 0)
            {
                packed[i / 8] |= 0x80 >> (i % 8);
            }
        }

        return packed;
    }

    /// <inheritdoc />
    public override WireRequestView Describe(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Body as JsonObject ?? [];
        var messages = new List<(string Role, string Text)>();
        var toolCalls = new List<(string CallId, string Name, string Arguments)>();
        var toolResults = new List<(string CallId, string Result)>();
        var system = new List<string>();
        foreach (var message in (body["messages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var role = message["role"]?.GetValue<string>() ?? "user";
            var text = TextOf(message["content"]) ?? string.Empty;
            switch (role)
            {
                case "system":
                    system.Add(text);
                    break;
                case "tool":
                    toolResults.Add((message["tool_call_id"]?.GetValue<string>() ?? string.Empty, text));
                    messages.Add(("tool", text));
                    break;
                default:
                    foreach (var call in (message["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        toolCalls.Add((
                            call["id"]?.GetValue<string>() ?? string.Empty,
                            call["function"]?["name"]?.GetValue<string>() ?? string.Empty,
                            call["function"]?["arguments"]?.GetValue<string>() ?? "{}"));
                    }

                    if (message["content"] is not null || role != "assistant")
                    {
                        messages.Add((role, text));
                    }

                    break;
            }
        }

        var toolNames = new List<string>();
        var toolSchemas = new Dictionary<string, string>();
        foreach (var tool in (body["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (tool["function"]?["name"]?.GetValue<string>() is { } name)
            {
                toolNames.Add(name);
                toolSchemas[name] = tool["function"]?["parameters"]?.ToJsonString(CompactJson) ?? "{}";
            }
        }

        var authorization = request.Header("authorization");
        return new WireRequestView
        {
            Model = body["model"]?.GetValue<string>(),
            Stream = body["stream"] is JsonValue stream && stream.GetValueKind() == JsonValueKind.True,
            MaxTokens = body["max_tokens"] is JsonValue maxTokens ? maxTokens.GetValue<int>() : null,
            Temperature = body["temperature"] is JsonValue temperature ? temperature.GetValue<double>() : null,
            System = system.Count == 0 ? null : string.Join("\n", system),
            Messages = messages,
            ToolNames = toolNames,
            ToolSchemas = toolSchemas,
            ToolCalls = toolCalls,
            ToolResults = toolResults,
            Credential = authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null,
        };
    }

    /// <inheritdoc />
    protected override async Task HandleAsync(HttpContext context, RecordedRequest request, ScriptedReply reply)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reply);
        var number = Interlocked.Increment(ref _responseCounter);
        var id = reply.ResponseId ?? string.Create(CultureInfo.InvariantCulture, $"5f0c6a2e-0000-4000-8000-{number:D12}");
        context.Response.Headers["x-request-id"] = id;
        if (request.Method != HttpMethods.Post || request.Path is not (ChatPath or EmbedPath or RerankPath))
        {
            await WriteErrorAsync(context, new ScriptedError(404, string.Empty, string.Empty), ErrorBody(id, $"Not found: {request.Method} {request.Path}")).ConfigureAwait(false);
            return;
        }

        if (request.Header("authorization") is not { Length: > 7 } authorization || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(context, new ScriptedError(401, string.Empty, string.Empty), ErrorBody(id, "no api key supplied")).ConfigureAwait(false);
            return;
        }

        if (reply.Error is { } error)
        {
            await WriteErrorAsync(context, error, ErrorBody(id, error.Message)).ConfigureAwait(false);
            return;
        }

        var body = request.Body as JsonObject ?? [];
        switch (request.Path)
        {
            case EmbedPath:
                await WriteJsonAsync(context, Embed(body, reply, id)).ConfigureAwait(false);
                break;
            case RerankPath:
                await WriteJsonAsync(context, Rerank(body, id)).ConfigureAwait(false);
                break;
            default:
                if (body["stream"] is JsonValue stream && stream.GetValueKind() == JsonValueKind.True)
                {
                    await StreamAsync(context, reply, id).ConfigureAwait(false);
                }
                else
                {
                    await WriteJsonAsync(context, Chat(reply, id)).ConfigureAwait(false);
                }

                break;
        }
    }

    private static HashSet<string> Words(string text) =>
        [.. text.Split([' ', '\t', '\n', '.', ',', '?', '!', ';', ':'], StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant())];

    private static JsonObject ErrorBody(string id, string message) => new() { ["id"] = id, ["message"] = message };

    private static JsonObject Usage(ScriptedReply reply) => new()
    {
        ["billed_units"] = new JsonObject { ["input_tokens"] = reply.Usage?.InputTokens ?? 0, ["output_tokens"] = reply.Usage?.OutputTokens ?? 0 },
        ["tokens"] = new JsonObject { ["input_tokens"] = reply.Usage?.InputTokens ?? 0, ["output_tokens"] = reply.Usage?.OutputTokens ?? 0 },
    };

    private static JsonArray Citations(ScriptedReply reply) =>
        reply.Extras.TryGetValue("citations", out var value) && value is JsonArray citations ? (JsonArray)citations.DeepClone() : [];

    private static JsonObject Chat(ScriptedReply reply, string id)
    {
        var message = new JsonObject { ["role"] = "assistant" };
        if (reply.ReasoningChunks.Count > 0)
        {
            message["tool_plan"] = reply.Reasoning;
        }

        if (reply.TextChunks.Count > 0)
        {
            message["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = reply.Text });
        }

        if (reply.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray([.. reply.ToolCalls.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
            })]);
        }

        var citations = Citations(reply);
        if (citations.Count > 0)
        {
            message["citations"] = citations;
        }

        return new JsonObject
        {
            ["id"] = id,
            ["message"] = message,
            ["finish_reason"] = FinishReasonFor(reply.EffectiveFinishReason),
            ["usage"] = Usage(reply),
        };
    }

    // Cohere writes "type" first; the members are moved behind it.
    private static string Event(string type, JsonObject data)
    {
        var ordered = new JsonObject { ["type"] = type };
        foreach (var (name, value) in data.ToList())
        {
            data.Remove(name);
            ordered[name] = value;
        }

        return $"event: {type}\ndata: {ordered.ToJsonString(CompactJson)}\n\n";
    }

    private static JsonObject Delta(JsonObject message) => new() { ["message"] = message };

    private static List<(string Text, bool IsContent)> StreamEvents(ScriptedReply reply, string id)
    {
        var events = new List<(string Text, bool IsContent)>
        {
            (Event("message-start", new JsonObject
            {
                ["id"] = id,
                ["delta"] = Delta(new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray(), ["tool_plan"] = string.Empty, ["tool_calls"] = new JsonArray(), ["citations"] = new JsonArray() }),
            }), false),
        };

        foreach (var chunk in reply.ReasoningChunks)
        {
            events.Add((Event("tool-plan-delta", new JsonObject { ["delta"] = Delta(new JsonObject { ["tool_plan"] = chunk }) }), true));
        }

        if (reply.TextChunks.Count > 0)
        {
            events.Add((Event("content-start", new JsonObject { ["index"] = 0, ["delta"] = Delta(new JsonObject { ["content"] = new JsonObject { ["type"] = "text", ["text"] = string.Empty } }) }), false));
            foreach (var chunk in reply.TextChunks)
            {
                events.Add((Event("content-delta", new JsonObject { ["index"] = 0, ["delta"] = Delta(new JsonObject { ["content"] = new JsonObject { ["text"] = chunk } }) }), true));
            }

            var index = 0;
            var citations = Citations(reply);
            foreach (var citation in citations.ToList())
            {
                citations.Remove(citation);
                events.Add((Event("citation-start", new JsonObject { ["index"] = index, ["delta"] = Delta(new JsonObject { ["citations"] = citation }) }), false));
                events.Add((Event("citation-end", new JsonObject { ["index"] = index++ }), false));
            }

            events.Add((Event("content-end", new JsonObject { ["index"] = 0 }), false));
        }

        for (var i = 0; i < reply.ToolCalls.Count; i++)
        {
            var call = reply.ToolCalls[i];
            events.Add((Event("tool-call-start", new JsonObject
            {
                ["index"] = i,
                ["delta"] = Delta(new JsonObject { ["tool_calls"] = new JsonObject { ["id"] = call.Id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = string.Empty } } }),
            }), false));
            foreach (var fragment in call.ArgumentFragments)
            {
                events.Add((Event("tool-call-delta", new JsonObject
                {
                    ["index"] = i,
                    ["delta"] = Delta(new JsonObject { ["tool_calls"] = new JsonObject { ["function"] = new JsonObject { ["arguments"] = fragment } } }),
                }), true));
            }

            events.Add((Event("tool-call-end", new JsonObject { ["index"] = i }), false));
        }

        events.Add((Event("message-end", new JsonObject
        {
            ["delta"] = new JsonObject { ["finish_reason"] = FinishReasonFor(reply.EffectiveFinishReason), ["usage"] = Usage(reply) },
        }), false));
        return events;
    }

    private static string? TextOf(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => p["text"]?.GetValue<string>() ?? p["document"]?["data"]?.ToString() ?? string.Empty)),
        _ => node.ToJsonString(CompactJson),
    };

    private static JsonObject Embed(JsonObject body, ScriptedReply reply, string id)
    {
        var texts = (body["texts"] as JsonArray ?? []).Select(t => t?.GetValue<string>() ?? string.Empty).ToList();
        var dimensions = body["output_dimension"] is JsonValue d ? d.GetValue<int>() : 8;
        var vectors = texts.Select((t, i) => reply.Embeddings is { } given ? given[i] : DeterministicEmbedding.For(t, dimensions)).ToList();
        var embeddings = new JsonObject();
        foreach (var type in (body["embedding_types"] as JsonArray ?? [JsonValue.Create("float")]).Select(t => t!.GetValue<string>()))
        {
            embeddings[type] = new JsonArray([.. vectors.Select(v => (JsonNode)new JsonArray([.. Convert(v, type)]))]);
        }

        return new JsonObject
        {
            ["id"] = id,
            ["embeddings"] = embeddings,
            ["texts"] = new JsonArray([.. texts.Select(t => (JsonNode)JsonValue.Create(t))]),
            ["meta"] = new JsonObject
            {
                ["api_version"] = new JsonObject { ["version"] = "2" },
                ["billed_units"] = new JsonObject { ["input_tokens"] = reply.Usage?.InputTokens ?? texts.Sum(t => Words(t).Count) },
            },
        };
    }

    private static IEnumerable<JsonNode?> Convert(float[] vector, string type) => type switch
    {
        "int8" => vector.Select(x => (JsonNode?)JsonValue.Create((int)Math.Round(x * 127))),
        "uint8" => vector.Select(x => (JsonNode?)JsonValue.Create((int)Math.Round((x + 1) * 127.5))),
        "ubinary" => PackSigns(vector).Select(b => (JsonNode?)JsonValue.Create(b)),
        "binary" => PackSigns(vector).Select(b => (JsonNode?)JsonValue.Create(b - 128)),
        _ => vector.Select(x => (JsonNode?)JsonValue.Create(x)),
    };

    private static JsonObject Rerank(JsonObject body, string id)
    {
        var query = body["query"]?.GetValue<string>() ?? string.Empty;
        var documents = (body["documents"] as JsonArray ?? []).Select(d => d?.GetValue<string>() ?? string.Empty).ToList();
        var ranked = documents
            .Select((d, i) => (Index: i, Score: RelevanceFor(query, d)))
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Index)
            .Take(body["top_n"] is JsonValue top ? top.GetValue<int>() : documents.Count);
        return new JsonObject
        {
            ["id"] = id,
            ["results"] = new JsonArray([.. ranked.Select(r => (JsonNode)new JsonObject { ["index"] = r.Index, ["relevance_score"] = r.Score })]),
            ["meta"] = new JsonObject { ["api_version"] = new JsonObject { ["version"] = "2" }, ["billed_units"] = new JsonObject { ["search_units"] = 1 } },
        };
    }

    private async Task StreamAsync(HttpContext context, ScriptedReply reply, string id)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var contentChunks = 0;
        foreach (var (text, isContent) in StreamEvents(reply, id))
        {
            if (!await WriteChunkAsync(context, reply, text).ConfigureAwait(false))
            {
                return;
            }

            if (isContent)
            {
                contentChunks++;
            }

            if ((isContent || text.StartsWith("event: message-start", StringComparison.Ordinal)) && await InterruptAsync(context, reply, contentChunks).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    // Returns true when the scripted interruption after this many content chunks ended the stream.
    private async Task<bool> InterruptAsync(HttpContext context, ScriptedReply reply, int contentChunks)
    {
        if (reply.MalformedAfter == contentChunks)
        {
            await WriteChunkAsync(context, reply, "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{not json\n\n").ConfigureAwait(false);
            return true;
        }

        if (reply.ErrorEventAfter == contentChunks)
        {
            var end = new JsonObject
            {
                ["delta"] = new JsonObject { ["error"] = reply.ErrorEventMessage, ["finish_reason"] = "ERROR", ["usage"] = Usage(reply) },
            };
            await WriteChunkAsync(context, reply, Event("message-end", end)).ConfigureAwait(false);
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
