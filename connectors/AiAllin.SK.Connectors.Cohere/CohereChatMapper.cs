using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiAllin.SK.Connectors.Cohere.Wire;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>Turns M.E.AI messages and options into a Cohere <c>/v2/chat</c> request.</summary>
internal static class CohereChatMapper
{
    // M.E.AI's options (which know its content types) for values of unknown type: tool results, extras.
    private static readonly JsonSerializerOptions ValueOptions = CreateValueOptions();

    public static CohereChatRequest ToRequest(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions, CohereOptions options, bool stream)
    {
        var tools = ToTools(chatOptions?.Tools);
        var request = new CohereChatRequest
        {
            Model = chatOptions?.ModelId ?? options.Model ?? string.Empty,
            Messages = ToMessages(messages),
            Stream = stream,
            Tools = tools,
            MaxTokens = chatOptions?.MaxOutputTokens ?? options.MaxTokens,
            Temperature = chatOptions?.Temperature ?? options.Temperature,
            P = chatOptions?.TopP,
            K = chatOptions?.TopK,
            Seed = chatOptions?.Seed,
            FrequencyPenalty = chatOptions?.FrequencyPenalty,
            PresencePenalty = chatOptions?.PresencePenalty,
            StopSequences = chatOptions?.StopSequences is { Count: > 0 } stop ? stop : null,
            CitationOptions = options.CitationMode is { } mode ? new CohereCitationOptions { Mode = mode.ToString().ToUpperInvariant() } : null,
            SafetyMode = options.SafetyMode?.ToString().ToUpperInvariant(),
            ResponseFormat = chatOptions?.ResponseFormat is ChatResponseFormatJson json
                ? new CohereResponseFormat { Type = "json_object", JsonSchema = json.Schema }
                : null,
            ToolChoice = tools is null ? null : chatOptions?.ToolMode switch
            {
                NoneChatToolMode => "NONE",
                RequiredChatToolMode => "REQUIRED",
                _ => null,
            },
        };

        if (chatOptions?.AdditionalProperties is { Count: > 0 } additional)
        {
            foreach (var (key, value) in additional)
            {
                ApplyAdditional(request, key, value);
            }
        }

        return request;
    }

    /// <summary>Reads the documents given under <see cref="CohereChatClient.DocumentsKey"/>.</summary>
    /// <exception cref="ArgumentException">The value is not a list of strings, <see cref="CohereDocument"/>s or a JSON array.</exception>
    internal static List<JsonElement> ToDocuments(object? value)
    {
        var documents = new List<JsonElement>();
        switch (value)
        {
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                documents.AddRange(array.EnumerateArray().Select(e => e.Clone()));
                break;
            case IEnumerable<CohereDocument> typed:
                foreach (var document in typed)
                {
                    ArgumentNullException.ThrowIfNull(document);
                    var node = new JsonObject();
                    if (document.Id is not null)
                    {
                        node["id"] = document.Id;
                    }

                    var data = new JsonObject();
                    foreach (var (name, text) in document.Data)
                    {
                        data[name] = text;
                    }

                    node["data"] = data;
                    documents.Add(JsonSerializer.SerializeToElement(node, ValueOptions.GetTypeInfo(typeof(JsonObject))));
                }

                break;
            case IEnumerable<string> texts:
                documents.AddRange(texts.Select(t => JsonSerializer.SerializeToElement(t ?? throw new ArgumentException("A document is null.", nameof(value)), CohereJsonContext.Default.String)));
                break;
            default:
                throw new ArgumentException(
                    $"ChatOptions.AdditionalProperties[\"{CohereChatClient.DocumentsKey}\"] must be a list of strings, of CohereDocument or a JSON array; it was {value?.GetType().Name ?? "null"}.",
                    nameof(value));
        }

        return documents;
    }

    private static JsonSerializerOptions CreateValueOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
        options.MakeReadOnly();
        return options;
    }

    private static void ApplyAdditional(CohereChatRequest request, string key, object? value)
    {
        switch (key)
        {
            case CohereChatClient.DocumentsKey:
                request.Documents = ToDocuments(value);
                break;
            case "model" or "messages" or "tools" or "stream":
                // The client owns these fields; an extra with the same name would produce a second, conflicting member.
                break;
            default:
                (request.Extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[key] = Element(value);
                break;
        }
    }

    private static JsonElement Element(object? value) => value switch
    {
        JsonElement element => element,
        null => JsonSerializer.SerializeToElement<object?>(null, ValueOptions),
        _ => JsonSerializer.SerializeToElement(value, ValueOptions.GetTypeInfo(value.GetType())),
    };

    private static List<CohereTool>? ToTools(IList<AITool>? tools)
    {
        if (tools is not { Count: > 0 })
        {
            return null;
        }

        var result = new List<CohereTool>(tools.Count);
        foreach (var tool in tools)
        {
            if (tool is AIFunctionDeclaration function)
            {
                result.Add(new CohereTool
                {
                    Function = new CohereToolFunction
                    {
                        Name = function.Name,
                        Description = string.IsNullOrEmpty(function.Description) ? null : function.Description,
                        Parameters = function.JsonSchema,
                    },
                });
            }
        }

        return result.Count == 0 ? null : result;
    }

    private static List<CohereMessage> ToMessages(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var result = new List<CohereMessage>();
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message);
            var text = new StringBuilder();
            StringBuilder? reasoning = null;
            List<CohereContentPart>? images = null;
            List<CohereToolCall>? calls = null;
            List<CohereMessage>? results = null;
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case TextReasoningContent r when !string.IsNullOrEmpty(r.Text):
                        (reasoning ??= new StringBuilder()).Append(r.Text);
                        break;
                    case DataContent d when d.HasTopLevelMediaType("image"):
                        (images ??= []).Add(new CohereContentPart { Type = "image_url", ImageUrl = new CohereImageUrl { Url = d.Uri } });
                        break;
                    case UriContent u when u.HasTopLevelMediaType("image"):
                        (images ??= []).Add(new CohereContentPart { Type = "image_url", ImageUrl = new CohereImageUrl { Url = u.Uri.AbsoluteUri } });
                        break;
                    case FunctionCallContent call:
                        (calls ??= []).Add(new CohereToolCall
                        {
                            Id = call.CallId,
                            Type = "function",
                            Function = new CohereToolCallFunction
                            {
                                Name = call.Name,
                                Arguments = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), ValueOptions.GetTypeInfo(typeof(IDictionary<string, object?>))),
                            },
                        });
                        break;
                    case FunctionResultContent functionResult:
                        (results ??= []).Add(new CohereMessage
                        {
                            Role = "tool",
                            ToolCallId = functionResult.CallId,
                            Content = Text(ResultText(functionResult.Result)),
                        });
                        break;
                }
            }

            if (text.Length > 0 || images is not null || calls is not null || results is null)
            {
                var role = message.Role == ChatRole.Tool ? "tool" : message.Role.Value;
                result.Add(new CohereMessage
                {
                    Role = role,
                    Content = images is null
                        ? (text.Length > 0 || calls is null ? Text(text.ToString()) : null)
                        : Parts(text, images),

                    // Cohere's tool plan is the reasoning that led to the calls; it goes back only beside them.
                    ToolPlan = calls is not null ? reasoning?.ToString() : null,
                    ToolCalls = calls,
                });
            }

            if (results is not null)
            {
                result.AddRange(results);
            }
        }

        return result;
    }

    private static JsonElement Text(string text) => JsonSerializer.SerializeToElement(text, CohereJsonContext.Default.String);

    private static JsonElement Parts(StringBuilder text, List<CohereContentPart> images)
    {
        var parts = new List<CohereContentPart>(images.Count + 1);
        if (text.Length > 0)
        {
            parts.Add(new CohereContentPart { Type = "text", Text = text.ToString() });
        }

        parts.AddRange(images);
        return JsonSerializer.SerializeToElement(parts, CohereJsonContext.Default.ListCohereContentPart);
    }

    private static string ResultText(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? string.Empty,
        JsonElement e => e.GetRawText(),
        _ => JsonSerializer.Serialize(result, ValueOptions.GetTypeInfo(result.GetType())),
    };
}
