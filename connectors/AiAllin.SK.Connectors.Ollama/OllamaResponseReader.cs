using System.Globalization;
using System.Text.Json;
using AiAllin.SK.Connectors.Ollama.Wire;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Ollama;

/// <summary>
/// Turns the lines of one <c>/api/chat</c> response into M.E.AI updates: keeps the server's tool-call ids (making up
/// stable, unique ones only when the server sends none), parses arguments without ever turning bad JSON into empty
/// arguments, and maps <c>done_reason</c> and the token counts.
/// </summary>
internal sealed class OllamaResponseReader
{
    private static readonly JsonSerializerOptions ValueOptions = AIJsonUtilities.DefaultOptions;

    private readonly string _responseId = "ollama-" + Guid.NewGuid().ToString("N");
    private int _toolCalls;

    public string ResponseId => _responseId;

    public ChatResponseUpdate ToUpdate(OllamaChatChunk chunk)
    {
        var contents = ToContents(chunk.Message);
        if (chunk.Done && ToUsage(chunk) is { } usage)
        {
            contents.Add(new UsageContent(usage));
        }

        return new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ResponseId = _responseId,
            MessageId = _responseId,
            ModelId = chunk.Model,
            CreatedAt = chunk.CreatedAt,
            FinishReason = chunk.Done ? ToFinishReason(chunk.DoneReason) : null,
            RawRepresentation = chunk,
            AdditionalProperties = chunk.Done ? Timings(chunk) : null,
        };
    }

    public ChatResponse ToResponse(OllamaChatChunk chunk)
    {
        var message = new ChatMessage(ChatRole.Assistant, ToContents(chunk.Message))
        {
            MessageId = _responseId,
            RawRepresentation = chunk.Message,
            CreatedAt = chunk.CreatedAt,
        };
        return new ChatResponse(message)
        {
            ResponseId = _responseId,
            ModelId = chunk.Model,
            CreatedAt = message.CreatedAt,
            FinishReason = ToFinishReason(chunk.DoneReason),
            Usage = ToUsage(chunk),
            RawRepresentation = chunk,
            AdditionalProperties = Timings(chunk),
        };
    }

    internal static FunctionCallContent ToFunctionCall(string callId, string name, JsonElement arguments) =>
        arguments.ValueKind switch
        {
            JsonValueKind.Object => FunctionCallContent.CreateFromParsedArguments(arguments, callId, name, ParseObject),
            JsonValueKind.Undefined or JsonValueKind.Null => new FunctionCallContent(callId, name, new Dictionary<string, object?>()),

            // Some Ollama-compatible servers send the arguments as a JSON string; bad JSON there sets Exception.
            JsonValueKind.String => FunctionCallContent.CreateFromParsedArguments(arguments.GetString() ?? string.Empty, callId, name, ParseText),
            _ => FunctionCallContent.CreateFromParsedArguments(arguments.GetRawText(), callId, name, ParseText),
        };

    private static Dictionary<string, object?>? ParseObject(JsonElement arguments) =>
        arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);

    private static Dictionary<string, object?>? ParseText(string arguments)
    {
        using var document = JsonDocument.Parse(arguments);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? ParseObject(document.RootElement)
            : throw new JsonException($"Tool-call arguments must be a JSON object, not {document.RootElement.ValueKind}.");
    }

    private static UsageDetails? ToUsage(OllamaChatChunk chunk)
    {
        if (chunk.PromptEvalCount is null && chunk.EvalCount is null)
        {
            return null;
        }

        return new UsageDetails
        {
            InputTokenCount = chunk.PromptEvalCount,
            OutputTokenCount = chunk.EvalCount,
            TotalTokenCount = (chunk.PromptEvalCount ?? 0) + (chunk.EvalCount ?? 0),
        };
    }

    private static AdditionalPropertiesDictionary? Timings(OllamaChatChunk chunk)
    {
        var timings = new AdditionalPropertiesDictionary();
        Add(timings, "total_duration", chunk.TotalDuration);
        Add(timings, "load_duration", chunk.LoadDuration);
        Add(timings, "prompt_eval_duration", chunk.PromptEvalDuration);
        Add(timings, "eval_duration", chunk.EvalDuration);
        return timings.Count == 0 ? null : timings;

        static void Add(AdditionalPropertiesDictionary timings, string name, long? nanoseconds)
        {
            if (nanoseconds is { } value)
            {
                timings[name] = TimeSpan.FromTicks(value / 100);
            }
        }
    }

    private ChatFinishReason? ToFinishReason(string? doneReason) => doneReason switch
    {
        // Ollama reports "stop" after tool calls too; callers need to know the model waits for results.
        "stop" or null => _toolCalls > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(doneReason),
    };

    private List<AIContent> ToContents(OllamaMessage? message)
    {
        var contents = new List<AIContent>();
        if (message is null)
        {
            return contents;
        }

        if (!string.IsNullOrEmpty(message.Thinking))
        {
            contents.Add(new TextReasoningContent(message.Thinking));
        }

        if (!string.IsNullOrEmpty(message.Content))
        {
            contents.Add(new TextContent(message.Content));
        }

        foreach (var call in message.ToolCalls ?? [])
        {
            var ordinal = _toolCalls++;

            // Keep the server's id; without one, make an id unique to this response and stable within it.
            var callId = string.IsNullOrEmpty(call.Id) ? string.Create(CultureInfo.InvariantCulture, $"{_responseId}-call-{ordinal}") : call.Id;
            var function = ToFunctionCall(callId, call.Function?.Name ?? string.Empty, call.Function?.Arguments ?? default);
            function.RawRepresentation = call;
            contents.Add(function);
        }

        return contents;
    }
}
