using System.Text.Json;
using AiAllin.SK.Connectors.Ollama.Wire;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Ollama;

/// <summary>Turns M.E.AI messages and options into an Ollama <c>/api/chat</c> request.</summary>
internal static class OllamaChatMapper
{
    /// <summary>The <c>AdditionalProperties</c> key whose object is merged into the request's <c>options</c>.</summary>
    public const string ModelOptionsKey = "options";

    // M.E.AI's options (which know its content types) but compact: tool results travel as text and are counted as tokens.
    private static readonly JsonSerializerOptions ValueOptions = CreateValueOptions();

    public static OllamaChatRequest ToRequest(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions, OllamaOptions options, bool stream)
    {
        var request = new OllamaChatRequest
        {
            Model = chatOptions?.ModelId ?? options.Model ?? string.Empty,
            Messages = ToMessages(messages),
            Stream = stream,
            Tools = chatOptions?.ToolMode is NoneChatToolMode ? null : ToTools(chatOptions?.Tools),
            KeepAlive = options.KeepAliveForWire is { } keepAlive ? JsonSerializer.SerializeToElement(keepAlive, ValueOptions) : null,
            Think = options.Think is { } think ? JsonSerializer.SerializeToElement(think, ValueOptions) : null,
            Format = chatOptions?.ResponseFormat is ChatResponseFormatJson json
                ? json.Schema ?? JsonSerializer.SerializeToElement("json", ValueOptions)
                : null,
        };

        var modelOptions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in options.ModelOptions)
        {
            modelOptions[key] = value is string text ? ConfiguredValue(text) : Element(value);
        }

        SetOption(modelOptions, "num_ctx", options.NumCtx);
        SetOption(modelOptions, "num_predict", chatOptions?.MaxOutputTokens ?? options.MaxTokens);
        SetOption(modelOptions, "temperature", chatOptions?.Temperature ?? options.Temperature);
        SetOption(modelOptions, "top_p", chatOptions?.TopP);
        SetOption(modelOptions, "top_k", chatOptions?.TopK);
        SetOption(modelOptions, "seed", chatOptions?.Seed);
        SetOption(modelOptions, "frequency_penalty", chatOptions?.FrequencyPenalty);
        SetOption(modelOptions, "presence_penalty", chatOptions?.PresencePenalty);
        if (chatOptions?.StopSequences is { Count: > 0 } stop)
        {
            modelOptions["stop"] = JsonSerializer.SerializeToElement(stop, ValueOptions);
        }

        if (chatOptions?.AdditionalProperties is { Count: > 0 } additional)
        {
            foreach (var (key, value) in additional)
            {
                ApplyAdditional(request, modelOptions, key, value);
            }
        }

        request.Options = modelOptions.Count == 0 ? null : modelOptions;
        return request;
    }

    private static JsonSerializerOptions CreateValueOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
        options.MakeReadOnly();
        return options;
    }

    private static void ApplyAdditional(OllamaChatRequest request, Dictionary<string, JsonElement> modelOptions, string key, object? value)
    {
        switch (key)
        {
            case ModelOptionsKey when Element(value) is { ValueKind: JsonValueKind.Object } merged:
                foreach (var property in merged.EnumerateObject())
                {
                    modelOptions[property.Name] = property.Value.Clone();
                }

                break;
            case "keep_alive":
                request.KeepAlive = Element(value);
                break;
            case "think":
                request.Think = Element(value);
                break;
            case "format":
                request.Format = Element(value);
                break;
            case "model" or "messages" or "tools" or "stream":
                // The client owns these fields; an extra with the same name would produce a second, conflicting member.
                break;
            default:
                (request.Extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[key] = Element(value);
                break;
        }
    }

    // Values bound from configuration arrive as strings; Ollama rejects "5" where it wants 5, so numbers and booleans
    // written as text are sent as what they are.
    private static JsonElement ConfiguredValue(string text)
    {
        if (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var integer))
        {
            return JsonSerializer.SerializeToElement(integer, ValueOptions.GetTypeInfo(typeof(long)));
        }

        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return JsonSerializer.SerializeToElement(number, ValueOptions.GetTypeInfo(typeof(double)));
        }

        return bool.TryParse(text, out var flag)
            ? JsonSerializer.SerializeToElement(flag, ValueOptions.GetTypeInfo(typeof(bool)))
            : JsonSerializer.SerializeToElement(text, ValueOptions.GetTypeInfo(typeof(string)));
    }

    private static void SetOption<T>(Dictionary<string, JsonElement> modelOptions, string name, T? value)
        where T : struct
    {
        if (value is { } set)
        {
            modelOptions[name] = JsonSerializer.SerializeToElement(set, ValueOptions.GetTypeInfo(typeof(T)));
        }
    }

    private static JsonElement Element(object? value) => value switch
    {
        JsonElement element => element,
        null => JsonSerializer.SerializeToElement<object?>(null, ValueOptions),
        _ => JsonSerializer.SerializeToElement(value, ValueOptions.GetTypeInfo(value.GetType())),
    };

    private static List<OllamaTool>? ToTools(IList<AITool>? tools)
    {
        if (tools is not { Count: > 0 })
        {
            return null;
        }

        var result = new List<OllamaTool>(tools.Count);
        foreach (var tool in tools)
        {
            if (tool is AIFunctionDeclaration function)
            {
                result.Add(new OllamaTool
                {
                    Function = new OllamaToolFunction
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

    private static List<OllamaMessage> ToMessages(IEnumerable<ChatMessage> messages)
    {
        var result = new List<OllamaMessage>();

        // Ollama names a tool result by its function; M.E.AI only carries the call id there, so remember the names.
        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message);
            var text = new System.Text.StringBuilder();
            string? thinking = null;
            List<string>? images = null;
            List<OllamaToolCall>? calls = null;
            List<OllamaMessage>? results = null;
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case TextReasoningContent r when !string.IsNullOrEmpty(r.Text):
                        thinking = thinking is null ? r.Text : thinking + r.Text;
                        break;
                    case DataContent d when d.HasTopLevelMediaType("image"):
                        (images ??= []).Add(Convert.ToBase64String(d.Data.Span));
                        break;
                    case FunctionCallContent call:
                        callNames[call.CallId] = call.Name;
                        (calls ??= []).Add(new OllamaToolCall
                        {
                            Id = call.CallId,
                            Function = new OllamaToolCallFunction
                            {
                                Name = call.Name,
                                Arguments = JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), ValueOptions),
                            },
                        });
                        break;
                    case FunctionResultContent functionResult:
                        (results ??= []).Add(new OllamaMessage
                        {
                            Role = "tool",
                            Content = ResultText(functionResult.Result),
                            ToolCallId = functionResult.CallId,
                            ToolName = callNames.GetValueOrDefault(functionResult.CallId),
                        });
                        break;
                }
            }

            if (text.Length > 0 || thinking is not null || images is not null || calls is not null || results is null)
            {
                result.Add(new OllamaMessage
                {
                    Role = message.Role.Value,
                    Content = text.ToString(),
                    Thinking = thinking,
                    Images = images,
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

    private static string ResultText(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? string.Empty,
        JsonElement e => e.GetRawText(),
        _ => JsonSerializer.Serialize(result, ValueOptions.GetTypeInfo(result.GetType())),
    };
}
