using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>
/// Fills in what the SDK's chat adapter leaves out before a request goes to it: <c>temperature</c>, <c>top_p</c>,
/// <c>top_k</c> (the SDK's request type has no such members, so the adapter drops them), the
/// <c>ChatOptions.AdditionalProperties</c> as extra request fields, the configured defaults (model, <c>max_tokens</c>,
/// thinking budget), the prompt-cache breakpoints, and function results that are JSON strings sent as plain text
/// (the adapter would send them with their quotes).
/// </summary>
/// <remarks>
/// The extra fields travel as the raw body of a <see cref="MessageCreateParams"/> handed to the adapter through
/// <see cref="ChatOptions.RawRepresentationFactory"/>; the adapter adds messages, system prompt and tools to it and
/// keeps the raw fields. A caller's own factory is left alone.
/// </remarks>
internal static class AnthropicRequestShaper
{
    private static readonly IReadOnlyDictionary<string, JsonElement> Empty = new Dictionary<string, JsonElement>();

    public static ChatOptions Shape(AnthropicOptions defaults, ChatOptions? options)
    {
        var shaped = options?.Clone() ?? new ChatOptions();
        shaped.ModelId ??= defaults.Model;
        shaped.MaxOutputTokens ??= defaults.EffectiveMaxTokens;
        shaped.Temperature ??= defaults.Temperature;

        if (shaped.RawRepresentationFactory is null)
        {
            var body = RawBody(defaults, shaped);
            shaped.RawRepresentationFactory = _ => MessageCreateParams.FromRawUnchecked(Empty, Empty, body);
        }

        if (defaults.EnablePromptCaching && shaped.Tools is { Count: > 0 } tools && tools[^1] is AIFunction last and not AnthropicCachedFunction)
        {
            shaped.Tools = [.. tools.Take(tools.Count - 1), new AnthropicCachedFunction(last)];
        }

        return shaped;
    }

    public static IEnumerable<ChatMessage> ShapeMessages(AnthropicOptions defaults, IEnumerable<ChatMessage> messages)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        List<ChatMessage>? shaped = null;
        var lastSystem = -1;
        for (var i = 0; i < list.Count; i++)
        {
            var message = list[i];
            if (message.Role == ChatRole.System && message.Contents.Any(c => c is TextContent))
            {
                lastSystem = i;
            }

            if (message.Contents.Any(IsJsonStringResult))
            {
                shaped ??= [.. list];
                shaped[i] = Copy(message, [.. message.Contents.Select(UnwrapJsonStringResult)]);
            }
        }

        if (defaults.EnablePromptCaching && lastSystem >= 0)
        {
            shaped ??= [.. list];
            var contents = shaped[lastSystem].Contents.ToList();
            var lastText = contents.FindLastIndex(c => c is TextContent);
            contents[lastText] = new TextContent(((TextContent)contents[lastText]).Text).WithCacheControl(new CacheControlEphemeral());
            shaped[lastSystem] = Copy(shaped[lastSystem], contents);
        }

        // Copies only, so the caller's history is never changed.
        return shaped ?? list;
    }

    // A function's string result arrives as a JSON string element; the SDK would send it with its quotes.
    private static bool IsJsonStringResult(AIContent content)
        => content is FunctionResultContent { Result: JsonElement { ValueKind: JsonValueKind.String } };

    private static AIContent UnwrapJsonStringResult(AIContent content)
        => IsJsonStringResult(content) && content is FunctionResultContent result
            ? new FunctionResultContent(result.CallId, ((JsonElement)result.Result!).GetString())
            {
                Exception = result.Exception,
                AdditionalProperties = result.AdditionalProperties,
                RawRepresentation = result.RawRepresentation,
            }
            : content;

    private static ChatMessage Copy(ChatMessage message, IList<AIContent> contents)
        => new(message.Role, contents)
        {
            AuthorName = message.AuthorName,
            MessageId = message.MessageId,
            AdditionalProperties = message.AdditionalProperties,
            RawRepresentation = message.RawRepresentation,
        };

    private static Dictionary<string, JsonElement> RawBody(AnthropicOptions defaults, ChatOptions options)
    {
        var body = new JsonObject
        {
            ["model"] = options.ModelId,
            ["max_tokens"] = options.MaxOutputTokens,
            ["messages"] = new JsonArray(),
        };
        if (options.Temperature is { } temperature)
        {
            body["temperature"] = Math.Round((double)temperature, 6);
        }

        if (options.TopP is { } topP)
        {
            body["top_p"] = Math.Round((double)topP, 6);
        }

        if (options.TopK is { } topK)
        {
            body["top_k"] = topK;
        }

        if (defaults.ThinkingBudgetTokens is { } budget && options.Reasoning is null)
        {
            body["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = budget };
        }

        var raw = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in body)
        {
            raw[name] = JsonSerializer.SerializeToElement(value, AnthropicJsonContext.Default.JsonNode);
        }

        if (options.AdditionalProperties is { } additional)
        {
            foreach (var (name, value) in additional)
            {
                raw[name] = value is null
                    ? JsonSerializer.SerializeToElement<JsonNode?>(null, AnthropicJsonContext.Default.JsonNode)
                    : JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
            }
        }

        return raw;
    }
}
