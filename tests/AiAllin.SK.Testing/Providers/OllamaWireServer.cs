using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// Speaks the Ollama REST API as its public reference documents it: <c>POST /api/chat</c> (NDJSON stream of
/// <c>application/x-ndjson</c> lines ending with a <c>done: true</c> line carrying <c>done_reason</c> and the timing and
/// token counts, or one JSON object when the request says <c>"stream": false</c>), <c>POST /api/embed</c>,
/// <c>POST /api/pull</c> (status lines), <c>POST /api/show</c> and <c>GET /api/tags</c>. Errors are
/// <c>{"error": "..."}</c> bodies with the scripted status; an error mid-stream is an <c>{"error": "..."}</c> line.
/// </summary>
/// <remarks>
/// <para>
/// Ollama sends tool-call arguments as a JSON object, not as a string, and a call arrives whole in one chunk. So a
/// <see cref="ScriptedToolCall"/>'s argument fragments are joined, parsed and sent once, as one object, in one line
/// per call (that line counts as one content chunk for <see cref="ScriptedReply.MalformedAfter"/>,
/// <see cref="ScriptedReply.ErrorEventAfter"/> and <see cref="ScriptedReply.StallAfter"/>). When the joined text is
/// not a JSON object, it is sent as a JSON string instead, which is how a client meets invalid arguments. Each call
/// carries the scripted id as <c>id</c> (newer Ollama versions send one; an empty scripted id sends none, as older
/// versions do) and <c>function.index</c>.
/// </para>
/// <para>
/// Reasoning chunks go out as <c>message.thinking</c> (the <c>think</c> option's output). Ollama has no response id
/// and no error codes: <see cref="ScriptedReply.ResponseId"/> and <see cref="ScriptedError.Code"/> are not sent. A
/// scripted <c>tool_calls</c> finish reason is sent as <c>done_reason: "stop"</c>, which is what Ollama reports after
/// tool calls; other finish reasons are sent as they are (<c>stop</c>, <c>length</c>).
/// </para>
/// <para>
/// Extras understood: <c>models</c> (an <see cref="IEnumerable{T}"/> of names) for <c>/api/tags</c>, and
/// <c>capabilities</c> (names) for <c>/api/show</c>.
/// </para>
/// </remarks>
public sealed class OllamaWireServer : WireServer
{
    private const string NdjsonContentType = "application/x-ndjson";
    private const int DefaultDimensions = 8;

    /// <inheritdoc />
    public override string ProviderName => "Ollama";

    /// <summary>Creates the reply Ollama gives for a model that is not present locally: HTTP 404 with its documented message.</summary>
    /// <param name="model">The model name the client asked for.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply ModelNotFound(string model) =>
        ScriptedReply.WithError(404, "not_found", $"model \"{model}\" not found, try pulling it first");

    /// <inheritdoc />
    public override WireRequestView Describe(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Body as JsonObject ?? [];
        var options = body["options"] as JsonObject;
        var system = new List<string>();
        var messages = new List<(string Role, string Text)>();
        var toolCalls = new List<(string CallId, string Name, string Arguments)>();
        var toolResults = new List<(string CallId, string Result)>();
        foreach (var message in (body["messages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var role = message["role"]?.GetValue<string>() ?? string.Empty;
            var content = message["content"]?.GetValue<string>() ?? string.Empty;
            switch (role)
            {
                case "system":
                    system.Add(content);
                    continue;
                case "tool":
                    // Newer versions link a result to its call by tool_call_id; older ones only by tool_name.
                    var callId = message["tool_call_id"]?.GetValue<string>() ?? message["tool_name"]?.GetValue<string>() ?? string.Empty;
                    toolResults.Add((callId, content));
                    break;
                case "assistant":
                    foreach (var call in (message["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        var function = call["function"] as JsonObject;
                        var arguments = function?["arguments"];
                        toolCalls.Add((
                            call["id"]?.GetValue<string>() ?? string.Empty,
                            function?["name"]?.GetValue<string>() ?? string.Empty,
                            arguments is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : arguments?.ToJsonString() ?? "{}"));
                    }

                    break;
            }

            messages.Add((role, content));
        }

        var toolNames = new List<string>();
        var toolSchemas = new Dictionary<string, string>();
        foreach (var tool in (body["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var function = tool["function"] as JsonObject;
            var name = function?["name"]?.GetValue<string>() ?? string.Empty;
            toolNames.Add(name);
            toolSchemas[name] = function?["parameters"]?.ToJsonString() ?? "{}";
        }

        var authorization = request.Header("authorization");
        return new WireRequestView
        {
            Model = body["model"]?.GetValue<string>(),

            // Ollama streams unless the request says "stream": false.
            Stream = body["stream"]?.GetValue<bool>() ?? true,
            MaxTokens = options?["num_predict"]?.GetValue<int>(),
            Temperature = options?["temperature"]?.GetValue<double>(),
            System = system.Count == 0 ? null : string.Join("\n", system),
            Messages = messages,
            ToolNames = toolNames,
            ToolSchemas = toolSchemas,
            ToolCalls = toolCalls,
            ToolResults = toolResults,
            Credential = authorization is null ? null : authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..] : authorization,
        };
    }

    /// <inheritdoc />
    protected override async Task HandleAsync(HttpContext context, RecordedRequest request, ScriptedReply reply)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Error is { } error)
        {
            await WriteErrorAsync(context, error, new JsonObject { ["error"] = error.Message }).ConfigureAwait(false);
            return;
        }

        var body = request.Body as JsonObject ?? [];
        switch (request.Method, request.Path)
        {
            case ("POST", "/api/chat"):
                await ChatAsync(context, body, reply).ConfigureAwait(false);
                break;
            case ("POST", "/api/embed"):
                await WriteJsonAsync(context, Embed(body, reply)).ConfigureAwait(false);
                break;
            case ("POST", "/api/pull"):
                await PullAsync(context, body, reply).ConfigureAwait(false);
                break;
            case ("POST", "/api/show"):
                await WriteJsonAsync(context, Show(reply)).ConfigureAwait(false);
                break;
            case ("GET", "/api/tags"):
                await WriteJsonAsync(context, Tags(reply)).ConfigureAwait(false);
                break;
            default:
                context.Response.StatusCode = 404;
                await WriteJsonAsync(context, new JsonObject { ["error"] = $"{request.Method} {request.Path} is not an Ollama endpoint this server serves" }).ConfigureAwait(false);
                break;
        }
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Line(string model, JsonObject message) => new()
    {
        ["model"] = model,
        ["created_at"] = Now(),
        ["message"] = message,
        ["done"] = false,
    };

    private static JsonObject AssistantMessage(string content, string? thinking = null, JsonArray? toolCalls = null)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (thinking is not null)
        {
            message["thinking"] = thinking;
        }

        if (toolCalls is not null)
        {
            message["tool_calls"] = toolCalls;
        }

        return message;
    }

    private static JsonObject ToolCall(ScriptedToolCall call, int index)
    {
        JsonNode arguments;
        try
        {
            arguments = JsonNode.Parse(call.Arguments) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            arguments = JsonValue.Create(call.Arguments);
        }

        var toolCall = new JsonObject();

        // Older Ollama versions send no id; an empty scripted id imitates them.
        if (call.Id.Length > 0)
        {
            toolCall["id"] = call.Id;
        }

        toolCall["function"] = new JsonObject { ["index"] = index, ["name"] = call.Name, ["arguments"] = arguments };
        return toolCall;
    }

    private static JsonObject Done(string model, ScriptedReply reply, JsonObject message)
    {
        var done = new JsonObject
        {
            ["model"] = model,
            ["created_at"] = Now(),
            ["message"] = message,
            ["done"] = true,
            ["done_reason"] = reply.EffectiveFinishReason == "tool_calls" ? "stop" : reply.EffectiveFinishReason,
            ["total_duration"] = 4_883_583_458L,
            ["load_duration"] = 1_334_875L,
        };
        if (reply.Usage is { } usage)
        {
            done["prompt_eval_count"] = usage.InputTokens;
            done["prompt_eval_duration"] = 342_546_000L;
            done["eval_count"] = usage.OutputTokens;
            done["eval_duration"] = 4_535_599_000L;
        }

        return done;
    }

    private static JsonObject Embed(JsonObject body, ScriptedReply reply)
    {
        var model = reply.Model ?? body["model"]?.GetValue<string>() ?? string.Empty;
        var inputs = body["input"] switch
        {
            JsonArray array => array.Select(i => i?.GetValue<string>() ?? string.Empty).ToList(),
            JsonValue value => [value.GetValue<string>()],
            _ => new List<string>(),
        };
        var dimensions = body["dimensions"]?.GetValue<int>() ?? DefaultDimensions;
        var vectors = reply.Embeddings ?? inputs.Select(i => DeterministicEmbedding.For(i, dimensions)).ToList();
        var embeddings = new JsonArray();
        foreach (var vector in vectors)
        {
            embeddings.Add(new JsonArray([.. vector.Select(v => (JsonNode?)JsonValue.Create(v))]));
        }

        return new JsonObject
        {
            ["model"] = model,
            ["embeddings"] = embeddings,
            ["total_duration"] = 14_143_917L,
            ["load_duration"] = 1_019_500L,
            ["prompt_eval_count"] = reply.Usage?.InputTokens ?? inputs.Count,
        };
    }

    private static JsonObject Show(ScriptedReply reply)
    {
        var capabilities = reply.Extras.TryGetValue("capabilities", out var value) && value is IEnumerable<string> names ? names : ["completion", "tools"];
        return new JsonObject
        {
            ["modelfile"] = "FROM llama3.2:latest\n",
            ["parameters"] = "num_ctx                        4096",
            ["template"] = "{{ .Prompt }}",
            ["details"] = Details(),
            ["model_info"] = new JsonObject { ["general.architecture"] = "llama", ["llama.context_length"] = 131072 },
            ["capabilities"] = new JsonArray([.. capabilities.Select(c => (JsonNode?)JsonValue.Create(c))]),
            ["modified_at"] = Now(),
        };
    }

    private static JsonObject Tags(ScriptedReply reply)
    {
        var names = reply.Extras.TryGetValue("models", out var value) && value is IEnumerable<string> list ? list : [reply.Model ?? "llama3.2:latest"];
        var models = new JsonArray();
        foreach (var name in names)
        {
            models.Add(new JsonObject
            {
                ["name"] = name,
                ["model"] = name,
                ["modified_at"] = Now(),
                ["size"] = 2_019_393_189L,
                ["digest"] = "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
                ["details"] = Details(),
            });
        }

        return new JsonObject { ["models"] = models };
    }

    private static JsonObject Details() => new()
    {
        ["parent_model"] = string.Empty,
        ["format"] = "gguf",
        ["family"] = "llama",
        ["families"] = new JsonArray("llama"),
        ["parameter_size"] = "3.2B",
        ["quantization_level"] = "Q4_K_M",
    };

    private async Task ChatAsync(HttpContext context, JsonObject body, ScriptedReply reply)
    {
        var model = reply.Model ?? body["model"]?.GetValue<string>() ?? string.Empty;
        var stream = body["stream"]?.GetValue<bool>() ?? true;
        if (!stream)
        {
            var calls = reply.ToolCalls.Count == 0 ? null : new JsonArray([.. reply.ToolCalls.Select((c, i) => (JsonNode?)ToolCall(c, i))]);
            var message = AssistantMessage(reply.Text, reply.ReasoningChunks.Count == 0 ? null : reply.Reasoning, calls);
            await WriteJsonAsync(context, Done(model, reply, message)).ConfigureAwait(false);
            return;
        }

        var lines = new List<JsonObject>();
        lines.AddRange(reply.ReasoningChunks.Select(r => Line(model, AssistantMessage(string.Empty, thinking: r))));
        lines.AddRange(reply.TextChunks.Select(t => Line(model, AssistantMessage(t))));
        lines.AddRange(reply.ToolCalls.Select((c, i) => Line(model, AssistantMessage(string.Empty, toolCalls: [ToolCall(c, i)]))));

        context.Response.ContentType = NdjsonContentType;
        for (var i = 0; i <= lines.Count; i++)
        {
            if (reply.MalformedAfter == i)
            {
                await WriteChunkAsync(context, reply, $"{{\"model\":\"{model}\",\"created_at\":\"{Now()}\",\"message\":{{\"role\":\"assistant\",\"content\":\"cut off\n").ConfigureAwait(false);
                return;
            }

            if (reply.ErrorEventAfter == i)
            {
                await WriteChunkAsync(context, reply, new JsonObject { ["error"] = reply.ErrorEventMessage }.ToJsonString() + "\n").ConfigureAwait(false);
                return;
            }

            if (reply.StallAfter == i)
            {
                await StallAsync(context).ConfigureAwait(false);
                return;
            }

            if (i < lines.Count && !await WriteChunkAsync(context, reply, lines[i].ToJsonString() + "\n").ConfigureAwait(false))
            {
                return;
            }
        }

        await WriteChunkAsync(context, reply, Done(model, reply, AssistantMessage(string.Empty)).ToJsonString() + "\n").ConfigureAwait(false);
    }

    private async Task PullAsync(HttpContext context, JsonObject body, ScriptedReply reply)
    {
        if (!(body["stream"]?.GetValue<bool>() ?? true))
        {
            await WriteJsonAsync(context, new JsonObject { ["status"] = "success" }).ConfigureAwait(false);
            return;
        }

        const string Digest = "sha256:a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72";
        JsonObject[] lines =
        [
            new() { ["status"] = "pulling manifest" },
            new() { ["status"] = "pulling " + Digest[7..19], ["digest"] = Digest, ["total"] = 2_019_393_189L, ["completed"] = 1_000_000_000L },
            new() { ["status"] = "pulling " + Digest[7..19], ["digest"] = Digest, ["total"] = 2_019_393_189L, ["completed"] = 2_019_393_189L },
            new() { ["status"] = "verifying sha256 digest" },
            new() { ["status"] = "writing manifest" },
            new() { ["status"] = "success" },
        ];
        context.Response.ContentType = NdjsonContentType;
        for (var i = 0; i < lines.Length; i++)
        {
            if (reply.ErrorEventAfter == i)
            {
                await WriteChunkAsync(context, reply, new JsonObject { ["error"] = reply.ErrorEventMessage }.ToJsonString() + "\n").ConfigureAwait(false);
                return;
            }

            if (!await WriteChunkAsync(context, reply, lines[i].ToJsonString() + "\n").ConfigureAwait(false))
            {
                return;
            }
        }
    }
}
