using System.Globalization;
using AiAllin.SK.Connectors.Gemini.Wire;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// Turns a <c>GenerateContentResponse</c> (whole, or one streamed chunk) into M.E.AI content: thought parts and
/// thought signatures as <see cref="TextReasoningContent"/> (the signature in <see cref="TextReasoningContent.ProtectedData"/>,
/// just before the part it was sent with, so it goes back on the same part), function calls with the server's ids
/// (stable made-up ids only when it sends none), finish reasons, blocks and usage.
/// </summary>
internal sealed class GeminiResponseReader
{
    private const string GeneratedCallIdPrefix = "gemini-call-";

    private readonly string _fallbackId = Guid.NewGuid().ToString("N");
    private int _functionCalls;

    /// <summary>Gets whether the final chunk (a finish reason or a blocked prompt) has been read.</summary>
    public bool Finished { get; private set; }

    /// <summary>Returns whether an id was made up here rather than sent by the server; such ids are not sent back.</summary>
    public static bool IsGeneratedCallId(string callId) => callId.StartsWith(GeneratedCallIdPrefix, StringComparison.Ordinal);

    public ChatResponse ToResponse(GeminiResponse response)
    {
        var candidate = response.Candidates is [var first, ..] ? first : null;
        var contents = Contents(candidate?.Content);
        var id = response.ResponseId ?? _fallbackId;
        var message = new ChatMessage(ChatRole.Assistant, contents) { MessageId = id, RawRepresentation = candidate?.Content };
        Finished = true;
        return new ChatResponse(message)
        {
            ResponseId = id,
            ModelId = response.ModelVersion,
            FinishReason = FinishReason(response, candidate),
            Usage = Usage(response.UsageMetadata),
            RawRepresentation = response,
            AdditionalProperties = Details(response, candidate),
        };
    }

    public ChatResponseUpdate ToUpdate(GeminiResponse chunk)
    {
        var candidate = chunk.Candidates is [var first, ..] ? first : null;
        var contents = Contents(candidate?.Content);
        var final = candidate?.FinishReason is not null || chunk.PromptFeedback?.BlockReason is not null;
        if (final)
        {
            Finished = true;

            // Every chunk repeats the running totals; the final one carries the whole count.
            if (Usage(chunk.UsageMetadata) is { } usage)
            {
                contents.Add(new UsageContent(usage));
            }
        }

        var id = chunk.ResponseId ?? _fallbackId;
        return new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ResponseId = id,
            MessageId = id,
            ModelId = chunk.ModelVersion,
            FinishReason = final ? FinishReason(chunk, candidate) : null,
            RawRepresentation = chunk,
            AdditionalProperties = final ? Details(chunk, candidate) : null,
        };
    }

    internal static UsageDetails? Usage(GeminiUsage? usage)
    {
        if (usage is null || (usage.PromptTokenCount is null && usage.CandidatesTokenCount is null && usage.TotalTokenCount is null))
        {
            return null;
        }

        // Output counts the answer and the thinking, as the API bills them; the thinking part is also on its own.
        long? output = usage.CandidatesTokenCount is null && usage.ThoughtsTokenCount is null ? null : (usage.CandidatesTokenCount ?? 0) + (usage.ThoughtsTokenCount ?? 0);
        var details = new UsageDetails
        {
            InputTokenCount = usage.PromptTokenCount,
            OutputTokenCount = output,
            TotalTokenCount = usage.TotalTokenCount ?? (usage.PromptTokenCount ?? 0) + (output ?? 0),
            CachedInputTokenCount = usage.CachedContentTokenCount,
            ReasoningTokenCount = usage.ThoughtsTokenCount,
        };
        if (usage.ToolUsePromptTokenCount is { } toolUse)
        {
            details.AdditionalCounts = new AdditionalPropertiesDictionary<long> { ["gemini.tool_use_prompt_tokens"] = toolUse };
        }

        return details;
    }

    private static AdditionalPropertiesDictionary? Details(GeminiResponse response, GeminiCandidate? candidate)
    {
        var details = new AdditionalPropertiesDictionary();
        if (candidate?.FinishReason is { } finish)
        {
            details[GeminiPropertyNames.FinishReason] = finish;
        }

        if (candidate?.FinishMessage is { } message)
        {
            details[GeminiPropertyNames.FinishMessage] = message;
        }

        if (response.PromptFeedback?.BlockReason is { } block)
        {
            details[GeminiPropertyNames.BlockReason] = block;
        }

        var ratings = (candidate?.SafetyRatings ?? response.PromptFeedback?.SafetyRatings ?? [])
            .Where(r => r.Blocked == true || (r.Probability is not null && r.Probability is not ("NEGLIGIBLE" or "HARM_PROBABILITY_UNSPECIFIED")))
            .Select(r => $"{r.Category}={r.Probability}{(r.Blocked == true ? " (blocked)" : string.Empty)}")
            .ToList();
        if (ratings.Count > 0)
        {
            details[GeminiPropertyNames.SafetyRatings] = ratings;
        }

        return details.Count == 0 ? null : details;
    }

    private ChatFinishReason? FinishReason(GeminiResponse response, GeminiCandidate? candidate)
    {
        if (response.PromptFeedback?.BlockReason is not null && candidate is null)
        {
            return ChatFinishReason.ContentFilter;
        }

        return candidate?.FinishReason switch
        {
            null => null,

            // Gemini reports STOP after function calls too; callers need to know the model waits for results.
            "STOP" => _functionCalls > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            "MAX_TOKENS" => ChatFinishReason.Length,
            "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" or "IMAGE_PROHIBITED_CONTENT" or "IMAGE_RECITATION" => ChatFinishReason.ContentFilter,
            var other => new ChatFinishReason(other),
        };
    }

    private List<AIContent> Contents(GeminiContent? content)
    {
        var contents = new List<AIContent>();
        foreach (var part in content?.Parts ?? [])
        {
            if (part.Thought == true)
            {
                contents.Add(new TextReasoningContent(part.Text ?? string.Empty) { ProtectedData = part.ThoughtSignature, RawRepresentation = part });
                continue;
            }

            if (part.ThoughtSignature is { Length: > 0 } signature)
            {
                contents.Add(new TextReasoningContent(string.Empty) { ProtectedData = signature, RawRepresentation = part });
            }

            if (part.Text is { Length: > 0 } text)
            {
                contents.Add(new TextContent(text) { RawRepresentation = part });
            }
            else if (part.FunctionCall is { } call)
            {
                contents.Add(FunctionCall(call));
            }
            else if (part.InlineData is { Data: { } data } inline)
            {
                contents.Add(new DataContent(Convert.FromBase64String(data), inline.MimeType ?? "application/octet-stream") { RawRepresentation = part });
            }
            else if (part.FileData is { FileUri: { } uri } file)
            {
                contents.Add(new UriContent(new Uri(uri), file.MimeType ?? "application/octet-stream") { RawRepresentation = part });
            }
        }

        return contents;
    }

    private FunctionCallContent FunctionCall(GeminiFunctionCall call)
    {
        var ordinal = _functionCalls++;
        var callId = string.IsNullOrEmpty(call.Id) ? string.Create(CultureInfo.InvariantCulture, $"{GeneratedCallIdPrefix}{_fallbackId}-{ordinal}") : call.Id;
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (call.Args is { ValueKind: System.Text.Json.JsonValueKind.Object } args)
        {
            foreach (var property in args.EnumerateObject())
            {
                arguments[property.Name] = property.Value.Clone();
            }
        }

        return new FunctionCallContent(callId, call.Name ?? string.Empty, arguments) { RawRepresentation = call };
    }
}
