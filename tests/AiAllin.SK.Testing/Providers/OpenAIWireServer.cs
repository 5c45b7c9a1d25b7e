using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// Speaks the OpenAI Chat Completions and Embeddings wire format as the public API reference documents it, on the
/// OpenAI routes (<c>/v1/chat/completions</c>, <c>/v1/embeddings</c>), the Azure OpenAI deployment routes
/// (<c>/openai/deployments/{deployment}/chat/completions?api-version=…</c>, <c>…/embeddings</c>) and the Azure v1
/// routes (<c>/openai/v1/chat/completions</c>, <c>/openai/v1/embeddings</c>).
/// </summary>
/// <remarks>
/// <para>Streams are SSE <c>data:</c> lines of <c>chat.completion.chunk</c> objects: a first chunk with the assistant
/// role, one chunk per reasoning (<c>reasoning_content</c>, as vLLM, DeepSeek and Groq send it), text and tool-call
/// argument fragment (a call's first delta carries <c>index</c>, <c>id</c>, <c>type</c> and <c>function.name</c>, the
/// later ones only <c>index</c> and <c>function.arguments</c>), a chunk with the finish reason, a usage chunk with empty
/// <c>choices</c> when the request set <c>stream_options.include_usage</c>, then <c>data: [DONE]</c>.</para>
/// <para>Extras: <c>azure_content_filter</c> (<see langword="true"/>, or the name of the category to filter in the
/// completion such as <c>"violence"</c>) adds Azure's <c>prompt_filter_results</c> and per-choice
/// <c>content_filter_results</c>; streamed, a first chunk carries only the prompt results and a last chunk only the
/// choice's filter results. <c>groq</c> (<see langword="true"/>) adds Groq's <c>x_groq</c> object (id, and usage in the
/// final chunk) and its timing fields in <c>usage</c>.</para>
/// </remarks>
public class OpenAIWireServer : WireServer
{
    /// <summary>The extras key that turns on Azure content-filter annotations.</summary>
    public const string AzureContentFilterExtra = "azure_content_filter";

    /// <summary>The extras key that turns on Groq's extra fields.</summary>
    public const string GroqExtra = "groq";

    private const long Created = 1_764_000_000;
    private const string Fingerprint = "fp_aiallin01";
    private const int DefaultDimensions = 8;
    private static readonly string[] FilterCategories = ["hate", "self_harm", "sexual", "violence"];

    private enum Operation
    {
        None,
        Chat,
        Embeddings,
    }

    /// <inheritdoc />
    public override string ProviderName => "OpenAI";

    /// <summary>
    /// Gets whether every reply carries Groq's extra fields as if its extras set <see cref="GroqExtra"/>; a subclass
    /// turns it on to run a whole suite in Groq's dialect.
    /// </summary>
    protected virtual bool AlwaysGroq => false;

    /// <summary>Builds the error object the API documents: <c>{"error":{"message","type","param","code"}}</c>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="type">The error type, for example <c>invalid_request_error</c>.</param>
    /// <param name="code">The error code, for example <c>invalid_api_key</c>, or <see langword="null"/>.</param>
    /// <param name="param">The offending parameter, or <see langword="null"/>.</param>
    /// <returns>The body.</returns>
    public static JsonObject ErrorBody(string message, string type, string? code, string? param = null) => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = type,
            ["param"] = param,
            ["code"] = code,
        },
    };

    /// <inheritdoc />
    public override WireRequestView Describe(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Body as JsonObject ?? [];
        var system = new List<string>();
        var messages = new List<(string Role, string Text)>();
        var toolCalls = new List<(string CallId, string Name, string Arguments)>();
        var toolResults = new List<(string CallId, string Result)>();
        foreach (var message in (body["messages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var role = (string?)message["role"] ?? string.Empty;
            var text = ContentText(message["content"]);
            switch (role)
            {
                case "system" or "developer":
                    system.Add(text);
                    break;
                case "tool":
                    messages.Add((role, text));
                    toolResults.Add(((string?)message["tool_call_id"] ?? string.Empty, text));
                    break;
                default:
                    messages.Add((role, text));
                    foreach (var call in (message["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        toolCalls.Add(((string?)call["id"] ?? string.Empty, (string?)call["function"]?["name"] ?? string.Empty, (string?)call["function"]?["arguments"] ?? string.Empty));
                    }

                    break;
            }
        }

        var toolNames = new List<string>();
        var toolSchemas = new Dictionary<string, string>();
        foreach (var tool in (body["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)tool["function"]?["name"] ?? string.Empty;
            toolNames.Add(name);
            toolSchemas[name] = tool["function"]?["parameters"]?.ToJsonString() ?? "{}";
        }

        return new WireRequestView
        {
            Model = (string?)body["model"] ?? DeploymentOf(request.Path),
            Stream = body["stream"] is JsonValue stream && stream.TryGetValue<bool>(out var streaming) && streaming,
            MaxTokens = IntOf(body["max_completion_tokens"]) ?? IntOf(body["max_tokens"]),
            Temperature = body["temperature"] is JsonValue t && t.TryGetValue<double>(out var temperature) ? temperature : null,
            System = system.Count == 0 ? null : string.Join("\n", system),
            Messages = messages,
            ToolNames = toolNames,
            ToolSchemas = toolSchemas,
            ToolCalls = toolCalls,
            ToolResults = toolResults,
            Credential = CredentialOf(request),
        };
    }

    /// <inheritdoc />
    protected override async Task HandleAsync(HttpContext context, RecordedRequest request, ScriptedReply reply)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reply);
        var operation = Route(request, out var azureDeployment);
        if (operation == Operation.None)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await WriteJsonAsync(context, ErrorBody($"Unknown request URL: {request.Method} {request.Path}. Please check the URL for typos.", "invalid_request_error", "unknown_url")).ConfigureAwait(false);
            return;
        }

        if (azureDeployment && !request.Query.Contains("api-version=", StringComparison.Ordinal))
        {
            // Azure answers a deployment route without an api-version this way rather than with an OpenAI error object.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await WriteJsonAsync(context, new JsonObject { ["error"] = new JsonObject { ["code"] = "404", ["message"] = "Resource not found" } }).ConfigureAwait(false);
            return;
        }

        if (reply.Error is { } error)
        {
            await WriteErrorAsync(context, error, ScriptedErrorBody(error, reply)).ConfigureAwait(false);
            return;
        }

        var body = request.Body as JsonObject ?? [];
        if (operation == Operation.Embeddings)
        {
            await WriteJsonAsync(context, EmbeddingsResponse(body, reply)).ConfigureAwait(false);
            return;
        }

        var response = new ResponseShape(body, reply, request.Path, AlwaysGroq);
        if (body["stream"] is JsonValue stream && stream.TryGetValue<bool>(out var streaming) && streaming)
        {
            await WriteStreamAsync(context, response).ConfigureAwait(false);
        }
        else
        {
            await WriteJsonAsync(context, CompletionResponse(response)).ConfigureAwait(false);
        }
    }

    private static Operation Route(RecordedRequest request, out bool azureDeployment)
    {
        azureDeployment = false;
        var path = request.Path.TrimEnd('/');
        if (!HttpMethods.IsPost(request.Method))
        {
            return Operation.None;
        }

        if (path is "/v1/chat/completions" or "/openai/v1/chat/completions" or "/chat/completions")
        {
            return Operation.Chat;
        }

        if (path is "/v1/embeddings" or "/openai/v1/embeddings" or "/embeddings")
        {
            return Operation.Embeddings;
        }

        if (DeploymentOf(path) is not null)
        {
            azureDeployment = true;
            return path.EndsWith("/chat/completions", StringComparison.Ordinal) ? Operation.Chat
                : path.EndsWith("/embeddings", StringComparison.Ordinal) ? Operation.Embeddings
                : Operation.None;
        }

        return Operation.None;
    }

    private static string? DeploymentOf(string path)
    {
        const string prefix = "/openai/deployments/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path[prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? null : Uri.UnescapeDataString(rest[..slash]);
    }

    private static string? CredentialOf(RecordedRequest request)
    {
        if (request.Header("authorization") is { } authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return request.Header("api-key");
    }

    private static int? IntOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static string ContentText(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Concat(parts.OfType<JsonObject>().Where(p => (string?)p["type"] == "text").Select(p => (string?)p["text"])),
        _ => string.Empty,
    };

    private static bool IsSet(ScriptedReply reply, string extra)
        => reply.Extras.TryGetValue(extra, out var value) && value is not null and not false;

    private static JsonObject ScriptedErrorBody(ScriptedError error, ScriptedReply reply)
    {
        // The documented type words; the scripted code is the specific code (invalid_api_key, rate_limit_exceeded...).
        var type = error.Status switch
        {
            401 => "invalid_request_error",
            403 => "permission_error",
            404 => "invalid_request_error",
            429 when error.Code == "insufficient_quota" => "insufficient_quota",
            429 => "requests",
            >= 500 => "server_error",
            _ => "invalid_request_error",
        };
        if (error.Code.EndsWith("_error", StringComparison.Ordinal))
        {
            type = error.Code;
        }

        var body = ErrorBody(error.Message, type, error.Code);
        if (error.Code == "content_filter" && IsSet(reply, AzureContentFilterExtra))
        {
            // Azure refuses a filtered prompt with 400 and the filter results under innererror.
            var inner = (JsonObject)body["error"]!;
            inner["param"] = "prompt";
            inner["status"] = error.Status;
            inner["innererror"] = new JsonObject
            {
                ["code"] = "ResponsibleAIPolicyViolation",
                ["content_filter_result"] = FilterResults(FilteredCategory(reply) ?? "hate"),
            };
        }

        return body;
    }

    private static string? FilteredCategory(ScriptedReply reply)
    {
        if (!reply.Extras.TryGetValue(AzureContentFilterExtra, out var value))
        {
            return null;
        }

        return value switch
        {
            string category => category,
            _ when reply.EffectiveFinishReason == "content_filter" => "violence",
            _ => null,
        };
    }

    private static JsonObject FilterResults(string? filtered)
    {
        var results = new JsonObject();
        foreach (var category in FilterCategories)
        {
            var hit = category == filtered;
            results[category] = new JsonObject { ["filtered"] = hit, ["severity"] = hit ? "high" : "safe" };
        }

        if (filtered is not null && !FilterCategories.Contains(filtered))
        {
            results[filtered] = new JsonObject { ["filtered"] = true, ["detected"] = true };
        }

        return results;
    }

    private static JsonArray PromptFilterResults() =>
    [
        new JsonObject { ["prompt_index"] = 0, ["content_filter_results"] = FilterResults(null) },
    ];

    private static JsonObject UsageObject(ScriptedUsage usage, bool groq)
    {
        var result = new JsonObject
        {
            ["prompt_tokens"] = usage.InputTokens,
            ["completion_tokens"] = usage.OutputTokens,
            ["total_tokens"] = usage.TotalTokens,
        };
        if (groq)
        {
            // Groq reports where the time went next to the token counts.
            result["queue_time"] = 0.0125;
            result["prompt_time"] = 0.0041;
            result["completion_time"] = 0.0203;
            result["total_time"] = 0.0244;
        }
        else
        {
            result["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0, ["audio_tokens"] = 0 };
            result["completion_tokens_details"] = new JsonObject
            {
                ["reasoning_tokens"] = 0,
                ["audio_tokens"] = 0,
                ["accepted_prediction_tokens"] = 0,
                ["rejected_prediction_tokens"] = 0,
            };
        }

        return result;
    }

    private static JsonObject CompletionResponse(ResponseShape shape)
    {
        var reply = shape.Reply;
        var message = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = reply.TextChunks.Count == 0 && reply.ToolCalls.Count > 0 ? null : reply.Text,
            ["refusal"] = null,
        };
        if (reply.ReasoningChunks.Count > 0)
        {
            message["reasoning_content"] = reply.Reasoning;
        }

        if (reply.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray([.. reply.ToolCalls.Select(call => (JsonNode)new JsonObject
            {
                ["id"] = call.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
            })]);
        }

        message["annotations"] = new JsonArray();
        var choice = new JsonObject
        {
            ["index"] = 0,
            ["message"] = message,
            ["logprobs"] = null,
            ["finish_reason"] = reply.EffectiveFinishReason,
        };
        if (shape.Azure)
        {
            choice["content_filter_results"] = FilterResults(FilteredCategory(reply));
        }

        var response = new JsonObject
        {
            ["id"] = shape.Id,
            ["object"] = "chat.completion",
            ["created"] = Created,
            ["model"] = shape.Model,
        };
        if (shape.Azure)
        {
            response["prompt_filter_results"] = PromptFilterResults();
        }

        response["choices"] = new JsonArray(choice);
        if (reply.Usage is { } usage)
        {
            response["usage"] = UsageObject(usage, shape.Groq);
        }

        response["service_tier"] = "default";
        response["system_fingerprint"] = Fingerprint;
        if (shape.Groq)
        {
            response["x_groq"] = new JsonObject { ["id"] = shape.GroqId };
        }

        return response;
    }

    private static JsonObject EmbeddingsResponse(JsonObject body, ScriptedReply reply)
    {
        var inputs = body["input"] switch
        {
            JsonValue single when single.TryGetValue<string>(out var text) => [text],
            JsonArray many => many.Select(item => item is JsonValue v && v.TryGetValue<string>(out var s) ? s : item?.ToJsonString() ?? string.Empty).ToList(),
            _ => new List<string>(),
        };
        var dimensions = IntOf(body["dimensions"]) ?? DefaultDimensions;
        var base64 = (string?)body["encoding_format"] == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = reply.Embeddings is { } scripted ? scripted[i] : DeterministicEmbedding.For(inputs[i], dimensions);
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())))
                : new JsonArray([.. vector.Select(f => (JsonNode)JsonValue.Create(f))]);
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        var tokens = reply.Usage?.InputTokens ?? inputs.Sum(text => Math.Max(1, text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length));
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = reply.Model ?? (string?)body["model"] ?? "text-embedding-3-small",
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        };
    }

    private static string Sse(JsonNode payload) => "data: " + payload.ToJsonString() + "\n\n";

    private async Task WriteStreamAsync(HttpContext context, ResponseShape shape)
    {
        var reply = shape.Reply;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        var includeUsage = shape.Request["stream_options"]?["include_usage"] is JsonValue flag && flag.TryGetValue<bool>(out var include) && include;

        if (shape.Azure && !await WriteChunkAsync(context, reply, Sse(AzurePromptChunk())).ConfigureAwait(false))
        {
            return;
        }

        var first = shape.Chunk(new JsonObject { ["role"] = "assistant", ["content"] = string.Empty, ["refusal"] = null }, includeUsage);
        if (shape.Groq)
        {
            first["x_groq"] = new JsonObject { ["id"] = shape.GroqId };
        }

        if (!await WriteChunkAsync(context, reply, Sse(first)).ConfigureAwait(false))
        {
            return;
        }

        var sent = 0;
        foreach (var delta in ContentDeltas(reply))
        {
            if (!await WriteChunkAsync(context, reply, Sse(shape.Chunk(delta, includeUsage))).ConfigureAwait(false))
            {
                return;
            }

            sent++;
            if (reply.MalformedAfter == sent)
            {
                await WriteChunkAsync(context, reply, "data: {\"id\":\"" + shape.Id + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\"tru\n\n").ConfigureAwait(false);
                return;
            }

            if (reply.ErrorEventAfter == sent)
            {
                await WriteChunkAsync(context, reply, Sse(ErrorBody(reply.ErrorEventMessage, "server_error", null))).ConfigureAwait(false);
                return;
            }

            if (reply.StallAfter == sent)
            {
                await StallAsync(context).ConfigureAwait(false);
                return;
            }
        }

        if (shape.Azure && FilteredCategory(reply) is { } category)
        {
            // In Azure's streamed form, the completion filter's verdict arrives in a chunk of its own.
            var filterOnly = shape.Chunk(new JsonObject(), includeUsage);
            ((JsonObject)filterOnly["choices"]![0]!)["content_filter_results"] = FilterResults(category);
            if (!await WriteChunkAsync(context, reply, Sse(filterOnly)).ConfigureAwait(false))
            {
                return;
            }
        }

        var last = shape.Chunk(new JsonObject(), includeUsage, reply.EffectiveFinishReason);
        if (shape.Groq && reply.Usage is { } groqUsage)
        {
            last["x_groq"] = new JsonObject { ["id"] = shape.GroqId, ["usage"] = UsageObject(groqUsage, groq: true) };
        }

        if (!await WriteChunkAsync(context, reply, Sse(last)).ConfigureAwait(false))
        {
            return;
        }

        if (includeUsage && reply.Usage is { } usage)
        {
            var usageChunk = shape.Envelope(includeUsage: false);
            usageChunk["choices"] = new JsonArray();
            usageChunk["usage"] = UsageObject(usage, shape.Groq);
            if (!await WriteChunkAsync(context, reply, Sse(usageChunk)).ConfigureAwait(false))
            {
                return;
            }
        }

        await WriteChunkAsync(context, reply, "data: [DONE]\n\n").ConfigureAwait(false);
    }

    private static JsonObject AzurePromptChunk() => new()
    {
        ["choices"] = new JsonArray(),
        ["created"] = 0,
        ["id"] = string.Empty,
        ["model"] = string.Empty,
        ["object"] = string.Empty,
        ["prompt_filter_results"] = PromptFilterResults(),
    };

    private static IEnumerable<JsonObject> ContentDeltas(ScriptedReply reply)
    {
        foreach (var reasoning in reply.ReasoningChunks)
        {
            yield return new JsonObject { ["reasoning_content"] = reasoning };
        }

        foreach (var text in reply.TextChunks)
        {
            yield return new JsonObject { ["content"] = text };
        }

        for (var index = 0; index < reply.ToolCalls.Count; index++)
        {
            var call = reply.ToolCalls[index];
            yield return new JsonObject
            {
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["index"] = index,
                    ["id"] = call.Id,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = string.Empty },
                }),
            };
            foreach (var fragment in call.ArgumentFragments)
            {
                yield return new JsonObject
                {
                    ["tool_calls"] = new JsonArray(new JsonObject
                    {
                        ["index"] = index,
                        ["function"] = new JsonObject { ["arguments"] = fragment },
                    }),
                };
            }
        }
    }

    private sealed class ResponseShape
    {
        public ResponseShape(JsonObject request, ScriptedReply reply, string path, bool alwaysGroq)
        {
            Request = request;
            Reply = reply;
            Azure = IsSet(reply, AzureContentFilterExtra);
            Groq = alwaysGroq || IsSet(reply, GroqExtra);
            Id = reply.ResponseId ?? "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
            GroqId = "req_" + Guid.NewGuid().ToString("N")[..26];
            Model = reply.Model ?? (string?)request["model"] ?? DeploymentOf(path) ?? "gpt-4o-mini";
        }

        public JsonObject Request { get; }

        public ScriptedReply Reply { get; }

        public bool Azure { get; }

        public bool Groq { get; }

        public string Id { get; }

        public string GroqId { get; }

        public string Model { get; }

        public JsonObject Envelope(bool includeUsage)
        {
            var chunk = new JsonObject
            {
                ["id"] = Id,
                ["object"] = "chat.completion.chunk",
                ["created"] = Created,
                ["model"] = Model,
                ["service_tier"] = "default",
                ["system_fingerprint"] = Fingerprint,
            };
            if (includeUsage)
            {
                // With include_usage, every chunk but the last carries "usage": null.
                chunk["usage"] = null;
            }

            return chunk;
        }

        public JsonObject Chunk(JsonObject delta, bool includeUsage, string? finishReason = null)
        {
            var choice = new JsonObject
            {
                ["index"] = 0,
                ["delta"] = delta,
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            };
            if (Azure && finishReason is null && delta.Count > 0)
            {
                choice["content_filter_results"] = FilterResults(null);
            }

            var chunk = Envelope(includeUsage);
            chunk["choices"] = new JsonArray(choice);
            return chunk;
        }
    }
}
