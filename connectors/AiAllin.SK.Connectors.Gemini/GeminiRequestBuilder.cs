using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiAllin.SK.Connectors.Gemini.Wire;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// Maps M.E.AI messages and options to a <c>GenerateContentRequest</c>: system messages and
/// <c>ChatOptions.Instructions</c> to <c>systemInstruction</c>, assistant to <c>model</c>, tool results to
/// <c>functionResponse</c> parts of a <c>user</c> turn, reasoning content back to thought parts and signatures.
/// </summary>
internal static class GeminiRequestBuilder
{
    private const string UserRole = "user";
    private const string ModelRole = "model";

    public static GeminiRequest Build(IEnumerable<ChatMessage> messages, ChatOptions? options, GeminiOptions settings)
    {
        var request = new GeminiRequest();
        var system = new List<GeminiPart>();
        if (!string.IsNullOrWhiteSpace(options?.Instructions))
        {
            system.Add(new GeminiPart { Text = options.Instructions });
        }

        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                system.AddRange(message.Contents.OfType<TextContent>().Where(t => t.Text.Length > 0).Select(t => new GeminiPart { Text = t.Text }));
                continue;
            }

            var role = message.Role == ChatRole.Assistant ? ModelRole : UserRole;
            var parts = role == ModelRole ? ModelParts(message, callNames) : UserParts(message, callNames);
            if (parts.Count == 0)
            {
                continue;
            }

            // Gemini wants the results of parallel calls in one turn; consecutive turns of a role are merged.
            if (request.Contents.Count > 0 && request.Contents[^1].Role == role)
            {
                request.Contents[^1].Parts!.AddRange(parts);
            }
            else
            {
                request.Contents.Add(new GeminiContent { Role = role, Parts = parts });
            }
        }

        if (system.Count > 0)
        {
            request.SystemInstruction = new GeminiContent { Parts = system };
        }

        AddTools(request, options);
        request.GenerationConfig = GenerationConfig(options, settings);
        if (settings.SafetySettings.Count > 0)
        {
            request.SafetySettings = settings.SafetySettings;
        }

        ApplyAdditionalProperties(request, options);
        return request;
    }

    private static List<GeminiPart> UserParts(ChatMessage message, Dictionary<string, string> callNames)
    {
        var parts = new List<GeminiPart>();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent text when text.Text.Length > 0:
                    parts.Add(new GeminiPart { Text = text.Text });
                    break;
                case FunctionResultContent result:
                    parts.Add(new GeminiPart { FunctionResponse = FunctionResponse(result, callNames) });
                    break;
                case DataContent or UriContent:
                    parts.Add(MediaPart(content));
                    break;
            }
        }

        return parts;
    }

    private static List<GeminiPart> ModelParts(ChatMessage message, Dictionary<string, string> callNames)
    {
        var parts = new List<GeminiPart>();

        // Gemini signs the first part after its thoughts (a function call or text). The signature travels as the
        // ProtectedData of reasoning content just before that part; streaming merges it into the thought text before
        // it, so it is always moved on to the next part that is not a thought.
        string? pendingSignature = null;
        foreach (var content in message.Contents)
        {
            if (content is TextReasoningContent reasoning)
            {
                if (reasoning.Text.Length > 0)
                {
                    parts.Add(new GeminiPart { Text = reasoning.Text, Thought = true });
                }

                pendingSignature = reasoning.ProtectedData is { Length: > 0 } signature ? signature : pendingSignature;
                continue;
            }

            GeminiPart? part = content switch
            {
                TextContent { Text.Length: > 0 } text => new GeminiPart { Text = text.Text },
                FunctionCallContent call => new GeminiPart { FunctionCall = FunctionCall(call, callNames) },
                DataContent or UriContent => MediaPart(content),
                _ => null,
            };
            if (part is null)
            {
                continue;
            }

            part.ThoughtSignature = pendingSignature;
            pendingSignature = null;
            parts.Add(part);
        }

        if (pendingSignature is not null)
        {
            // The API itself ends a streamed answer with a signature on an empty text part; send it back the same way.
            parts.Add(new GeminiPart { Text = string.Empty, ThoughtSignature = pendingSignature });
        }

        return parts;
    }

    private static GeminiFunctionCall FunctionCall(FunctionCallContent call, Dictionary<string, string> callNames)
    {
        callNames[call.CallId] = call.Name;
        var args = call.Arguments is null
            ? JsonSerializer.SerializeToElement(new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions)
            : JsonSerializer.SerializeToElement(call.Arguments, AIJsonUtilities.DefaultOptions);
        return new GeminiFunctionCall { Id = GeminiResponseReader.IsGeneratedCallId(call.CallId) ? null : call.CallId, Name = call.Name, Args = args };
    }

    private static GeminiFunctionResponse FunctionResponse(FunctionResultContent result, Dictionary<string, string> callNames)
    {
        // Gemini matches a response to its call by name (and by id when the call had one); M.E.AI results carry only the id.
        if (!callNames.TryGetValue(result.CallId, out var name))
        {
            throw new ArgumentException($"The function result with call id '{result.CallId}' has no function call before it in the conversation; Gemini needs the call's name to send the result.", nameof(result));
        }

        JsonNode response;
        if (result.Exception is { } exception)
        {
            response = new JsonObject { ["error"] = exception.Message };
        }
        else
        {
            var value = result.Result switch
            {
                null => null,
                JsonElement element => JsonNode.Parse(element.GetRawText()),
                JsonNode node => node.DeepClone(),
                string text => JsonValue.Create(text),
                var other => JsonSerializer.SerializeToNode(other, AIJsonUtilities.DefaultOptions),
            };

            // The response must be an object; anything else goes under "result", as Google's SDKs do.
            response = value as JsonObject ?? new JsonObject { ["result"] = value };
        }

        return new GeminiFunctionResponse { Id = GeminiResponseReader.IsGeneratedCallId(result.CallId) ? null : result.CallId, Name = name, Response = response };
    }

    private static GeminiPart MediaPart(AIContent content) => content switch
    {
        DataContent data => new GeminiPart { InlineData = new GeminiInlineData { MimeType = data.MediaType, Data = data.Base64Data.ToString() } },
        UriContent uri => new GeminiPart { FileData = new GeminiFileData { MimeType = uri.MediaType, FileUri = uri.Uri.ToString() } },
        _ => throw new ArgumentOutOfRangeException(nameof(content)),
    };

    private static void AddTools(GeminiRequest request, ChatOptions? options)
    {
        var functions = options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        if (functions.Count > 0)
        {
            var declarations = functions.Select(f => new GeminiFunctionDeclaration
            {
                Name = f.Name,
                Description = string.IsNullOrWhiteSpace(f.Description) ? null : f.Description,
                Parameters = Parameters(f),
            }).ToList();
            request.Tools = [new GeminiTool { FunctionDeclarations = declarations }];
        }

        request.ToolConfig = options?.ToolMode switch
        {
            null or AutoChatToolMode when functions.Count == 0 => null,
            NoneChatToolMode => new GeminiToolConfig { FunctionCallingConfig = new GeminiFunctionCallingConfig { Mode = "NONE" } },
            RequiredChatToolMode { RequiredFunctionName: { } name } => new GeminiToolConfig { FunctionCallingConfig = new GeminiFunctionCallingConfig { Mode = "ANY", AllowedFunctionNames = [name] } },
            RequiredChatToolMode => new GeminiToolConfig { FunctionCallingConfig = new GeminiFunctionCallingConfig { Mode = "ANY" } },
            _ => null,
        };
    }

    private static JsonObject? Parameters(AIFunctionDeclaration function)
    {
        var converted = GeminiSchemaConverter.Convert(function.JsonSchema, $"function '{function.Name}'");

        // A function without parameters is declared without a parameters schema; an empty OBJECT is refused.
        return converted["properties"] is JsonObject { Count: > 0 } ? converted : null;
    }

    private static GeminiGenerationConfig? GenerationConfig(ChatOptions? options, GeminiOptions settings)
    {
        var config = new GeminiGenerationConfig
        {
            MaxOutputTokens = options?.MaxOutputTokens ?? settings.MaxTokens,
            Temperature = options?.Temperature ?? settings.Temperature,
            TopP = options?.TopP,
            TopK = options?.TopK,
            Seed = options?.Seed,
            PresencePenalty = options?.PresencePenalty,
            FrequencyPenalty = options?.FrequencyPenalty,
            StopSequences = options?.StopSequences is { Count: > 0 } stops ? stops : null,
        };

        switch (options?.ResponseFormat)
        {
            case ChatResponseFormatJson json:
                config.ResponseMimeType = "application/json";
                if (json.Schema is { } schema)
                {
                    config.ResponseSchema = GeminiSchemaConverter.Convert(schema, $"the response format '{json.SchemaName ?? "json"}'");
                }

                break;
            case ChatResponseFormatText:
                config.ResponseMimeType = "text/plain";
                break;
        }

        var includeThoughts = options?.Reasoning?.Output switch
        {
            ReasoningOutput.None => false,
            ReasoningOutput.Summary or ReasoningOutput.Full => true,
            _ => settings.IncludeThoughts,
        };
        var budget = options?.Reasoning?.Effort == ReasoningEffort.None ? 0 : settings.ThinkingBudget;
        if (includeThoughts is not null || budget is not null)
        {
            config.ThinkingConfig = new GeminiThinkingConfig { IncludeThoughts = includeThoughts, ThinkingBudget = budget };
        }

        return config.MaxOutputTokens is null && config.Temperature is null && config.TopP is null && config.TopK is null && config.Seed is null
            && config.PresencePenalty is null && config.FrequencyPenalty is null && config.StopSequences is null && config.ResponseMimeType is null
            && config.ThinkingConfig is null
            ? null
            : config;
    }

    // Known keys go where the API has them; any other key is sent inside generationConfig under its own name.
    private static void ApplyAdditionalProperties(GeminiRequest request, ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { Count: > 0 } properties)
        {
            return;
        }

        foreach (var (key, value) in properties)
        {
            switch (key)
            {
                case "cachedContent" when value is string name:
                    request.CachedContent = name;
                    break;
                case "safetySettings" when value is IEnumerable<GeminiSafetySetting> safety:
                    request.SafetySettings = [.. safety];
                    break;
                case "thinkingBudget" or "includeThoughts" or "thinkingLevel":
                    var config = request.GenerationConfig ??= new GeminiGenerationConfig();
                    var thinking = config.ThinkingConfig ??= new GeminiThinkingConfig();
                    if (key == "thinkingBudget")
                    {
                        thinking.ThinkingBudget = System.Convert.ToInt32(value, CultureInfo.InvariantCulture);
                    }
                    else if (key == "includeThoughts")
                    {
                        thinking.IncludeThoughts = System.Convert.ToBoolean(value, CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        thinking.ThinkingLevel = System.Convert.ToString(value, CultureInfo.InvariantCulture);
                    }

                    break;
                default:
                    var generation = request.GenerationConfig ??= new GeminiGenerationConfig();
                    (generation.Extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[key] = JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions);
                    break;
            }
        }
    }
}
