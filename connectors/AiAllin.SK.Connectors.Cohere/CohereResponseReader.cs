using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Cohere.Wire;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// Turns Cohere's chat responses into M.E.AI types: a whole response, or the events of one stream (it keeps the
/// stream's state: the response id and the tool calls whose arguments are still arriving).
/// </summary>
/// <remarks>
/// The tool plan (<c>tool_plan</c>, <c>tool-plan-delta</c>) and a reasoning model's <c>thinking</c> content become
/// <see cref="TextReasoningContent"/>, so they are neither shown as the answer nor lost: the plan goes back to Cohere
/// as <c>tool_plan</c> beside the calls it led to. Citations become <see cref="CitationAnnotation"/>s (one per
/// source) on a <see cref="TextContent"/>: the answer's text content when the response is whole, an empty one in the
/// update that carries a <c>citation-start</c> when streamed, as Microsoft's own clients do; their
/// <see cref="TextSpanAnnotatedRegion"/> gives Cohere's <c>start</c>/<c>end</c> offsets in the answer text.
/// </remarks>
internal sealed class CohereResponseReader(string modelId)
{
    private readonly Dictionary<int, PendingCall> _calls = [];
    private string? _responseId;

    /// <summary>Gets whether the stream's <c>message-end</c> event was seen.</summary>
    public bool Ended { get; private set; }

    public static ChatResponse ToResponse(CohereChatResponse response, string modelId)
    {
        var contents = new List<AIContent>();
        var message = response.Message;
        if (!string.IsNullOrEmpty(message?.ToolPlan))
        {
            contents.Add(new TextReasoningContent(message.ToolPlan));
        }

        var citations = message?.Citations ?? [];
        var textIndex = 0;
        foreach (var content in message?.Content ?? [])
        {
            if (content.Type == "thinking" || content.Thinking is not null)
            {
                contents.Add(new TextReasoningContent(content.Thinking ?? content.Text ?? string.Empty));
                continue;
            }

            var text = new TextContent(content.Text ?? string.Empty);
            var index = textIndex++;
            var annotations = citations
                .Where(c => (c.ContentIndex ?? 0) == index && c.Type is null or "TEXT_CONTENT")
                .SelectMany(ToAnnotations)
                .ToList<AIAnnotation>();
            if (annotations.Count > 0)
            {
                text.Annotations = annotations;
            }

            contents.Add(text);
        }

        foreach (var call in message?.ToolCalls ?? [])
        {
            contents.Add(ToFunctionCall(call.Id, call.Function?.Name, call.Function?.Arguments));
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents) { MessageId = response.Id })
        {
            ResponseId = response.Id,
            ModelId = modelId,
            FinishReason = ToFinishReason(response.FinishReason),
            Usage = ToUsage(response.Usage),
            RawRepresentation = response,
        };
    }

    /// <summary>Turns one stream event into an update, or <see langword="null"/> when it carries nothing to report yet.</summary>
    public ChatResponseUpdate? ToUpdate(CohereStreamEvent streamEvent)
    {
        switch (streamEvent.Kind)
        {
            case CohereStreamEventKind.MessageStart:
                _responseId = streamEvent.Id ?? _responseId;
                return null;
            case CohereStreamEventKind.ContentDelta:
                return streamEvent.Thinking is { } thinking
                    ? Update(streamEvent, new TextReasoningContent(thinking))
                    : streamEvent.Text is { Length: > 0 } text ? Update(streamEvent, new TextContent(text)) : null;
            case CohereStreamEventKind.ToolPlanDelta when streamEvent.ToolPlan is { Length: > 0 } plan:
                return Update(streamEvent, new TextReasoningContent(plan));
            case CohereStreamEventKind.ToolCallStart:
                _calls[streamEvent.Index ?? _calls.Count] = new PendingCall(streamEvent.ToolCallId, streamEvent.ToolName, new StringBuilder(streamEvent.Arguments));
                return null;
            case CohereStreamEventKind.ToolCallDelta when streamEvent.Arguments is { } fragment:
                if (_calls.TryGetValue(streamEvent.Index ?? _calls.Count - 1, out var pending))
                {
                    pending.Arguments.Append(fragment);
                }

                return null;
            case CohereStreamEventKind.ToolCallEnd:
                return _calls.Remove(streamEvent.Index ?? -1, out var ended) ? Update(streamEvent, ended.ToContent()) : null;
            case CohereStreamEventKind.CitationStart when streamEvent.Citation is { } citation:
                var annotations = ToAnnotations(citation).ToList<AIAnnotation>();
                return annotations.Count == 0 ? null : Update(streamEvent, new TextContent(string.Empty) { Annotations = annotations });
            case CohereStreamEventKind.MessageEnd:
                return End(streamEvent);
            default:
                return null;
        }
    }

    internal static FunctionCallContent ToFunctionCall(string? callId, string? name, string? arguments) =>
        string.IsNullOrWhiteSpace(arguments)
            ? new FunctionCallContent(callId ?? string.Empty, name ?? string.Empty, new Dictionary<string, object?>())
            : FunctionCallContent.CreateFromParsedArguments(arguments, callId ?? string.Empty, name ?? string.Empty, ParseArguments);

    internal static ChatFinishReason? ToFinishReason(string? reason) => reason switch
    {
        null => null,
        "COMPLETE" or "STOP_SEQUENCE" => ChatFinishReason.Stop,
        "MAX_TOKENS" => ChatFinishReason.Length,
        "TOOL_CALL" => ChatFinishReason.ToolCalls,
        _ => new ChatFinishReason(reason.ToLowerInvariant()),
    };

    internal static UsageDetails? ToUsage(CohereUsage? usage)
    {
        // tokens counts what the model read and wrote; billed_units what is charged, kept as extra counts.
        var input = ToCount(usage?.Tokens?.InputTokens) ?? ToCount(usage?.BilledUnits?.InputTokens);
        var output = ToCount(usage?.Tokens?.OutputTokens) ?? ToCount(usage?.BilledUnits?.OutputTokens);
        if (input is null && output is null)
        {
            return null;
        }

        var details = new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = output,
            TotalTokenCount = (input ?? 0) + (output ?? 0),
            CachedInputTokenCount = ToCount(usage?.CachedTokens),
        };
        if (ToCount(usage?.BilledUnits?.InputTokens) is { } billedInput)
        {
            (details.AdditionalCounts ??= [])["billed_units.input_tokens"] = billedInput;
        }

        if (ToCount(usage?.BilledUnits?.OutputTokens) is { } billedOutput)
        {
            (details.AdditionalCounts ??= [])["billed_units.output_tokens"] = billedOutput;
        }

        return details;
    }

    private static long? ToCount(double? value) => value is { } v && double.IsFinite(v) && v >= 0 ? (long)Math.Round(v) : null;

    private static IEnumerable<CitationAnnotation> ToAnnotations(CohereCitation citation)
    {
        var region = citation.Start is { } start && citation.End is { } end
            ? new TextSpanAnnotatedRegion { StartIndex = start, EndIndex = end }
            : null;
        foreach (var source in citation.Sources ?? [])
        {
            var fields = source.Document ?? source.ToolOutput;
            var annotation = new CitationAnnotation
            {
                FileId = source.Id,
                Title = Field(fields, "title") ?? source.Id,
                Snippet = Field(fields, "snippet") ?? Field(fields, "text"),
                Url = Uri.TryCreate(Field(fields, "url"), UriKind.Absolute, out var url) ? url : null,
                ToolName = source.Type == "tool" ? source.Id : null,
                RawRepresentation = citation,
                AdditionalProperties = new AdditionalPropertiesDictionary { ["cited_text"] = citation.Text, ["source_type"] = source.Type },
            };
            if (region is not null)
            {
                annotation.AnnotatedRegions = [region];
            }

            yield return annotation;
        }
    }

    private static string? Field(JsonElement? fields, string name) =>
        fields is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static Dictionary<string, object?>? ParseArguments(string arguments)
    {
        using var document = JsonDocument.Parse(arguments);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
            : throw new JsonException($"Tool-call arguments must be a JSON object, not {document.RootElement.ValueKind}.");
    }

    private ChatResponseUpdate End(CohereStreamEvent streamEvent)
    {
        Ended = true;
        var update = Update(streamEvent);

        // A server that ends without tool-call-end still delivered the calls; they are not dropped.
        foreach (var index in _calls.Keys.Order().ToList())
        {
            update.Contents.Add(_calls[index].ToContent());
        }

        _calls.Clear();
        update.FinishReason = ToFinishReason(streamEvent.FinishReason);
        if (ToUsage(streamEvent.Usage) is { } usage)
        {
            update.Contents.Add(new UsageContent(usage));
        }

        return update;
    }

    private ChatResponseUpdate Update(CohereStreamEvent streamEvent, AIContent? content = null)
    {
        var update = new ChatResponseUpdate(ChatRole.Assistant, content is null ? [] : [content])
        {
            ResponseId = _responseId,
            MessageId = _responseId,
            ModelId = modelId,
            RawRepresentation = streamEvent,
        };
        return update;
    }

    private sealed record PendingCall(string? Id, string? Name, StringBuilder Arguments)
    {
        public FunctionCallContent ToContent() => ToFunctionCall(Id, Name, Arguments.ToString());
    }
}
