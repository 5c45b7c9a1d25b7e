using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Per-stream fixes for what the Microsoft.Extensions.AI adapter drops or breaks on real OpenAI-family traffic:
/// <c>delta.reasoning</c> (Groq <c>reasoning_format=parsed</c>, OpenRouter, newer vLLM; the adapter maps only
/// <c>reasoning_content</c>), streamed <c>delta.refusal</c> text (the adapter collects and then discards it), and tool
/// calls streamed without an <c>id</c> (some local servers), on which the adapter throws <see cref="ArgumentNullException"/>
/// at the end of the stream; they are rebuilt here with a generated id. Each gap is shown on recorded traffic by
/// <c>OpenAIRecordedRepairTests</c> (<c>ReasoningFieldStream_AsGroqAndOpenRouterSendIt_YieldsReasoning</c>,
/// <c>StreamedRefusal_IsNotLostSilently</c>, <c>IdlessToolLoop_SendsOneNonEmptyIdOnCallAndResult</c>).
/// </summary>
/// <remarks>The SDK's JSON patch (marked experimental) is the only way to read fields the SDK has no property for.</remarks>
#pragma warning disable SCME0001
internal sealed class OpenAIStreamRepair
{
    private const string RefusalErrorCode = "refusal";

    private StringBuilder? _refusal;
    private SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>? _calls;
    private string? _responseId;
    private string? _fallbackScope;
    private string? _modelId;

    /// <summary>Reads what the adapter left out of one streamed update, adding reasoning to it.</summary>
    /// <param name="update">The adapter's update.</param>
    public void Inspect(ChatResponseUpdate update)
    {
        if (update.RawRepresentation is not StreamingChatCompletionUpdate raw)
        {
            return;
        }

        _responseId ??= update.ResponseId;
        _modelId ??= update.ModelId;
        if (raw.RefusalUpdate is { Length: > 0 } refusal)
        {
            (_refusal ??= new StringBuilder()).Append(refusal);
        }

        var toolCalls = raw.ToolCallUpdates;
        if (toolCalls.Count > 0)
        {
            Track(toolCalls);
        }

        // Reading an unknown field costs microseconds, so only chunks that carried nothing the SDK knows are read.
        if (raw.ContentUpdate.Count == 0 && toolCalls.Count == 0 && raw.FinishReason is null && raw.Usage is null && raw.RefusalUpdate is null
            && !HasReasoning(update) && ReadString(ref raw.Patch, "$.choices[0].delta.reasoning"u8) is { Length: > 0 } reasoning)
        {
            update.Contents.Add(new TextReasoningContent(reasoning) { RawRepresentation = raw });
        }
    }

    /// <summary>Returns whether the adapter failed only because a streamed tool call had no id, which can be repaired.</summary>
    /// <param name="exception">What the adapter threw.</param>
    /// <returns><see langword="true"/> when <see cref="ToolCallUpdate"/> can stand in for the adapter's last update.</returns>
    public bool CanRebuildToolCalls(Exception exception) =>
        exception is ArgumentNullException { ParamName: "callId" } && _calls is { Count: > 0 } && _calls.Values.Any(c => string.IsNullOrEmpty(c.Id));

    /// <summary>Builds the update with every streamed tool call, ids generated where the server sent none.</summary>
    /// <returns>The update.</returns>
    public ChatResponseUpdate ToolCallUpdate()
    {
        var update = NewUpdate();
        foreach (var (index, call) in _calls!)
        {
            if (string.IsNullOrWhiteSpace(call.Name))
            {
                continue;
            }

            var callId = string.IsNullOrEmpty(call.Id) ? GenerateCallId(_responseId ?? (_fallbackScope ??= NewFallbackScope()), index) : call.Id;
            update.Contents.Add(FunctionCallContent.CreateFromParsedArguments(call.Arguments.ToString(), callId, call.Name, ParseArguments));
        }

        update.FinishReason = ChatFinishReason.ToolCalls;
        return update;
    }

    /// <summary>Makes the id given to a tool call the server sent without one (streamed or not, the same scheme).</summary>
    /// <param name="scope">The response id, or a fixed word when the server sent none.</param>
    /// <param name="index">The tool call's position in the response.</param>
    /// <returns>The id.</returns>
    public static string GenerateCallId(string scope, int index) => string.Create(CultureInfo.InvariantCulture, $"call_{scope}_{index}");

    /// <summary>
    /// Makes the scope for a response that came without an id: random, so calls of later turns in the same
    /// conversation never share an id with earlier ones.
    /// </summary>
    /// <returns>A short random scope.</returns>
    public static string NewFallbackScope() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));

    /// <summary>Builds an update carrying the streamed refusal, or returns <see langword="null"/> when there was none.</summary>
    /// <returns>The update, or <see langword="null"/>.</returns>
    public ChatResponseUpdate? RefusalUpdate()
    {
        if (_refusal is not { Length: > 0 })
        {
            return null;
        }

        var update = NewUpdate();
        update.Contents.Add(new ErrorContent(_refusal.ToString()) { ErrorCode = RefusalErrorCode });
        return update;
    }

    /// <summary>Adds <c>message.reasoning</c> of a whole completion as reasoning content when the adapter did not map it.</summary>
    /// <param name="response">The adapter's response.</param>
    public static void AddReasoning(ChatResponse response)
    {
        if (response.RawRepresentation is not ChatCompletion completion
            || ReadString(ref completion.Patch, "$.choices[0].message.reasoning"u8) is not { Length: > 0 } reasoning
            || response.Messages.Count == 0)
        {
            return;
        }

        response.Messages[^1].Contents.Insert(0, new TextReasoningContent(reasoning));
    }

    private static string? ReadString(ref System.ClientModel.Primitives.JsonPatch patch, ReadOnlySpan<byte> path)
    {
        try
        {
            return patch.TryGetValue(path, out string? value) ? value : null;
        }
        catch (FormatException)
        {
            // Present but not a string (for example an object); nothing to show.
            return null;
        }
    }

    private static bool HasReasoning(ChatResponseUpdate update)
    {
        foreach (var content in update.Contents)
        {
            if (content is TextReasoningContent)
            {
                return true;
            }
        }

        return false;
    }

    private static IDictionary<string, object?>? ParseArguments(string json) =>
        (IDictionary<string, object?>?)JsonSerializer.Deserialize(json, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));

    private ChatResponseUpdate NewUpdate() => new()
    {
        Role = ChatRole.Assistant,
        ResponseId = _responseId,
        MessageId = _responseId,
        ModelId = _modelId,
    };

    private void Track(IReadOnlyList<StreamingChatToolCallUpdate> toolCalls)
    {
        _calls ??= [];
        foreach (var toolCall in toolCalls)
        {
            if (!_calls.TryGetValue(toolCall.Index, out var call))
            {
                call = (null, null, new StringBuilder());
            }

            if (string.IsNullOrEmpty(call.Id) && !string.IsNullOrEmpty(toolCall.ToolCallId))
            {
                call.Id = toolCall.ToolCallId;
            }

            call.Name ??= toolCall.FunctionName;
            if (toolCall.FunctionArgumentsUpdate is { } arguments && !arguments.ToMemory().IsEmpty)
            {
                call.Arguments.Append(arguments.ToString());
            }

            _calls[toolCall.Index] = call;
        }
    }
}
#pragma warning restore SCME0001
