using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// Speaks the Anthropic Messages API (<c>POST /v1/messages</c>) as its public reference documents it: a whole
/// <c>message</c> object, or, when the request sets <c>"stream": true</c>, server-sent events <c>message_start</c>,
/// <c>content_block_start</c> / <c>content_block_delta</c> / <c>content_block_stop</c> per block, a <c>ping</c>,
/// <c>message_delta</c> (stop reason, output usage) and <c>message_stop</c>.
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="ScriptedReply"/> becomes, in order: a <c>thinking</c> block (reasoning chunks as <c>thinking_delta</c>s,
/// then a <c>signature_delta</c> carrying <see cref="SignatureFor"/>), a <c>text</c> block (<c>text_delta</c>s), and one
/// <c>tool_use</c> block per tool call (argument fragments as <c>input_json_delta</c>s). Finish reasons map
/// <c>stop</c>→<c>end_turn</c>, <c>length</c>→<c>max_tokens</c>, <c>tool_calls</c>→<c>tool_use</c>,
/// <c>content_filter</c>→<c>refusal</c>; the extra <c>stop_sequence</c> (a string) reports <c>stop_sequence</c> with
/// that sequence. The extras <c>cache_creation_input_tokens</c> and <c>cache_read_input_tokens</c> (ints) fill those
/// usage fields (0 otherwise).
/// </para>
/// <para>
/// Errors use the documented body <c>{"type":"error","error":{"type":…,"message":…}}</c> with a <c>request-id</c>
/// header; a request without the <c>anthropic-version</c> header is refused with 400 as the real API does. The
/// in-stream error is <c>event: error</c> with an <c>overloaded_error</c>. Tool arguments that are not a JSON object
/// (only ever scripted to test clients) are sent as a JSON string in non-streamed responses, since a whole
/// <c>input</c> must be JSON.
/// </para>
/// </remarks>
public sealed class AnthropicWireServer : WireServer
{
    /// <summary>The path of the Messages API.</summary>
    public const string MessagesPath = "/v1/messages";

    private static readonly JsonSerializerOptions CompactJson = new() { WriteIndented = false };
    private int _responseCounter;

    /// <inheritdoc />
    public override string ProviderName => "Anthropic";

    /// <summary>Gets the signature the server attaches to a thinking block with the given text.</summary>
    /// <param name="thinking">The whole thinking text.</param>
    /// <returns>An opaque base64 signature, stable for the same text.</returns>
    public static string SignatureFor(string thinking)
    {
        ArgumentNullException.ThrowIfNull(thinking);
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("thinking:" + thinking)));
    }

    /// <summary>Maps a neutral finish reason to Anthropic's <c>stop_reason</c>.</summary>
    /// <param name="finishReason">The neutral reason.</param>
    /// <returns>The stop reason word.</returns>
    public static string StopReasonFor(string finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" => "tool_use",
        "content_filter" => "refusal",
        "stop_sequence" => "stop_sequence",
        _ => "end_turn",
    };

    /// <inheritdoc />
    public override WireRequestView Describe(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Body as JsonObject ?? [];
        var messages = new List<(string Role, string Text)>();
        var toolCalls = new List<(string CallId, string Name, string Arguments)>();
        var toolResults = new List<(string CallId, string Result)>();
        foreach (var message in body["messages"] as JsonArray ?? [])
        {
            DescribeMessage(message as JsonObject ?? [], messages, toolCalls, toolResults);
        }

        var toolNames = new List<string>();
        var toolSchemas = new Dictionary<string, string>();
        foreach (var tool in body["tools"] as JsonArray ?? [])
        {
            if (tool?["name"]?.GetValue<string>() is { } name)
            {
                toolNames.Add(name);
                toolSchemas[name] = tool["input_schema"]?.ToJsonString(CompactJson) ?? "{}";
            }
        }

        return new WireRequestView
        {
            Model = body["model"]?.GetValue<string>(),
            Stream = body["stream"] is JsonValue stream && stream.GetValueKind() == JsonValueKind.True,
            MaxTokens = body["max_tokens"] is JsonValue maxTokens ? maxTokens.GetValue<int>() : null,
            Temperature = body["temperature"] is JsonValue temperature ? temperature.GetValue<double>() : null,
            System = body["system"] is { } system ? TextOf(system) : null,
            Messages = messages,
            ToolNames = toolNames,
            ToolSchemas = toolSchemas,
            ToolCalls = toolCalls,
            ToolResults = toolResults,
            Credential = request.Header("x-api-key") ?? BearerOf(request.Header("authorization")),
        };
    }

    /// <inheritdoc />
    protected override async Task HandleAsync(HttpContext context, RecordedRequest request, ScriptedReply reply)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reply);
        var number = Interlocked.Increment(ref _responseCounter);
        context.Response.Headers["request-id"] = string.Create(CultureInfo.InvariantCulture, $"req_wire{number:D6}");

        if (!string.Equals(request.Path, MessagesPath, StringComparison.Ordinal) || request.Method != HttpMethods.Post)
        {
            await WriteErrorAsync(context, new ScriptedError(404, "not_found_error", $"Not found: {request.Method} {request.Path}"), ErrorBody("not_found_error", $"Not found: {request.Method} {request.Path}")).ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(request.Header("anthropic-version")))
        {
            await WriteErrorAsync(context, new ScriptedError(400, "invalid_request_error", "anthropic-version: header is required"), ErrorBody("invalid_request_error", "anthropic-version: header is required")).ConfigureAwait(false);
            return;
        }

        if (reply.Error is { } error)
        {
            await WriteErrorAsync(context, error, ErrorBody(error.Code, error.Message)).ConfigureAwait(false);
            return;
        }

        var model = reply.Model ?? request.Body?["model"]?.GetValue<string>() ?? "claude-unknown";
        var id = reply.ResponseId ?? string.Create(CultureInfo.InvariantCulture, $"msg_wire{number:D6}");
        var streaming = request.Body?["stream"] is JsonValue stream && stream.GetValueKind() == JsonValueKind.True;
        if (streaming)
        {
            await StreamAsync(context, reply, id, model).ConfigureAwait(false);
        }
        else
        {
            await WriteJsonAsync(context, Message(reply, id, model)).ConfigureAwait(false);
        }
    }

    private static JsonObject ErrorBody(string type, string message) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
    };

    private static JsonObject Message(ScriptedReply reply, string id, string model)
    {
        var content = new JsonArray();
        if (reply.ReasoningChunks.Count > 0)
        {
            content.Add(new JsonObject { ["type"] = "thinking", ["thinking"] = reply.Reasoning, ["signature"] = SignatureFor(reply.Reasoning) });
        }

        if (reply.TextChunks.Count > 0)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = reply.Text });
        }

        foreach (var call in reply.ToolCalls)
        {
            content.Add(new JsonObject { ["type"] = "tool_use", ["id"] = call.Id, ["name"] = call.Name, ["input"] = InputOf(call.Arguments) });
        }

        var (stopReason, stopSequence) = StopOf(reply);
        return new JsonObject
        {
            ["id"] = id,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = content,
            ["stop_reason"] = stopReason,
            ["stop_sequence"] = stopSequence,
            ["usage"] = Usage(reply, reply.Usage?.InputTokens ?? 0, reply.Usage?.OutputTokens ?? 0),
        };
    }

    private static JsonNode InputOf(string arguments)
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

    private static (string StopReason, string? StopSequence) StopOf(ScriptedReply reply)
        => reply.Extras.TryGetValue("stop_sequence", out var sequence) && sequence is string text
            ? ("stop_sequence", text)
            : (StopReasonFor(reply.EffectiveFinishReason), null);

    private static JsonObject Usage(ScriptedReply reply, int inputTokens, int outputTokens) => new()
    {
        ["input_tokens"] = inputTokens,
        ["output_tokens"] = outputTokens,
        ["cache_creation_input_tokens"] = reply.Extras.TryGetValue("cache_creation_input_tokens", out var created) && created is int c ? c : 0,
        ["cache_read_input_tokens"] = reply.Extras.TryGetValue("cache_read_input_tokens", out var read) && read is int r ? r : 0,
    };

    private static string Event(string name, JsonObject data) => $"event: {name}\ndata: {data.ToJsonString(CompactJson)}\n\n";

    private static string Delta(int index, JsonObject delta) => Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = delta });

    private static string BlockStart(int index, JsonObject block) => Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = block });

    private static string BlockStop(int index) => Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index });

    private static List<(string Text, bool IsContent)> StreamEvents(ScriptedReply reply, string id, string model)
    {
        var events = new List<(string Text, bool IsContent)>();
        var inputTokens = reply.Usage?.InputTokens ?? 0;
        var start = new JsonObject
        {
            ["id"] = id,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = new JsonArray(),
            ["stop_reason"] = null,
            ["stop_sequence"] = null,
            ["usage"] = Usage(reply, inputTokens, Math.Min(1, reply.Usage?.OutputTokens ?? 0)),
        };
        events.Add((Event("message_start", new JsonObject { ["type"] = "message_start", ["message"] = start }), false));

        var index = 0;
        var pingSent = false;
        void StartBlock(JsonObject block)
        {
            events.Add((BlockStart(index, block), false));
            if (!pingSent)
            {
                // The reference shows a ping right after the first block opens; clients must skip it.
                events.Add((Event("ping", new JsonObject { ["type"] = "ping" }), false));
                pingSent = true;
            }
        }

        if (reply.ReasoningChunks.Count > 0)
        {
            StartBlock(new JsonObject { ["type"] = "thinking", ["thinking"] = string.Empty, ["signature"] = string.Empty });
            foreach (var chunk in reply.ReasoningChunks)
            {
                events.Add((Delta(index, new JsonObject { ["type"] = "thinking_delta", ["thinking"] = chunk }), true));
            }

            events.Add((Delta(index, new JsonObject { ["type"] = "signature_delta", ["signature"] = SignatureFor(reply.Reasoning) }), false));
            events.Add((BlockStop(index++), false));
        }

        if (reply.TextChunks.Count > 0)
        {
            StartBlock(new JsonObject { ["type"] = "text", ["text"] = string.Empty });
            foreach (var chunk in reply.TextChunks)
            {
                events.Add((Delta(index, new JsonObject { ["type"] = "text_delta", ["text"] = chunk }), true));
            }

            events.Add((BlockStop(index++), false));
        }

        foreach (var call in reply.ToolCalls)
        {
            StartBlock(new JsonObject { ["type"] = "tool_use", ["id"] = call.Id, ["name"] = call.Name, ["input"] = new JsonObject() });
            foreach (var fragment in call.ArgumentFragments)
            {
                events.Add((Delta(index, new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = fragment }), true));
            }

            events.Add((BlockStop(index++), false));
        }

        if (!pingSent)
        {
            events.Add((Event("ping", new JsonObject { ["type"] = "ping" }), false));
        }

        var (stopReason, stopSequence) = StopOf(reply);
        events.Add((Event("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = stopSequence },
            ["usage"] = new JsonObject { ["output_tokens"] = reply.Usage?.OutputTokens ?? 0 },
        }), false));
        events.Add((Event("message_stop", new JsonObject { ["type"] = "message_stop" }), false));
        return events;
    }

    private static string? TextOf(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonArray blocks => string.Join("\n", blocks.Where(b => b?["type"]?.GetValue<string>() == "text").Select(b => b!["text"]?.GetValue<string>() ?? string.Empty)),
        _ => node.ToJsonString(CompactJson),
    };

    private static string? BearerOf(string? authorization)
        => authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;

    private static void DescribeMessage(
        JsonObject message,
        List<(string Role, string Text)> messages,
        List<(string CallId, string Name, string Arguments)> toolCalls,
        List<(string CallId, string Result)> toolResults)
    {
        var role = message["role"]?.GetValue<string>() ?? "user";
        if (message["content"] is not JsonArray blocks)
        {
            messages.Add((role, TextOf(message["content"]) ?? string.Empty));
            return;
        }

        var text = new StringBuilder();
        var hasMessageContent = role == "assistant";
        foreach (var block in blocks.OfType<JsonObject>())
        {
            switch (block["type"]?.GetValue<string>())
            {
                case "text":
                    text.Append(block["text"]?.GetValue<string>());
                    hasMessageContent = true;
                    break;
                case "image":
                case "document":
                    hasMessageContent = true;
                    break;
                case "tool_use":
                    toolCalls.Add((block["id"]?.GetValue<string>() ?? string.Empty, block["name"]?.GetValue<string>() ?? string.Empty, block["input"]?.ToJsonString(CompactJson) ?? "{}"));
                    break;
                case "tool_result":
                    var result = TextOf(block["content"]) ?? string.Empty;
                    toolResults.Add((block["tool_use_id"]?.GetValue<string>() ?? string.Empty, result));
                    messages.Add(("tool", result));
                    break;
            }
        }

        if (hasMessageContent)
        {
            messages.Add((role, text.ToString()));
        }
    }

    private async Task StreamAsync(HttpContext context, ScriptedReply reply, string id, string model)
    {
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        var contentChunks = 0;
        foreach (var (text, isContent) in StreamEvents(reply, id, model))
        {
            if (!await WriteChunkAsync(context, reply, text).ConfigureAwait(false))
            {
                return;
            }

            if (isContent)
            {
                contentChunks++;
            }

            if (isContent || text.StartsWith("event: message_start", StringComparison.Ordinal))
            {
                if (await InterruptAsync(context, reply, contentChunks).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    // Returns true when the scripted interruption after this many content chunks ended the stream.
    private async Task<bool> InterruptAsync(HttpContext context, ScriptedReply reply, int contentChunks)
    {
        if (reply.MalformedAfter == contentChunks)
        {
            await WriteChunkAsync(context, reply, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{not json\n\n").ConfigureAwait(false);
            return true;
        }

        if (reply.ErrorEventAfter == contentChunks)
        {
            await WriteChunkAsync(context, reply, Event("error", ErrorBody("overloaded_error", reply.ErrorEventMessage))).ConfigureAwait(false);
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
