using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Tests.TestSupport;

/// <summary>
/// One scripted answer of a <see cref="ScriptedChatClient"/>: the updates it streams (a non-streaming call gets them
/// combined with <c>ToChatResponse</c>), optionally a failure, a stall or a gate before a chunk.
/// </summary>
public sealed record ScriptedTurn
{
    /// <summary>Gets the updates streamed, in order (text chunks, tool calls, usage...).</summary>
    public IReadOnlyList<ChatResponseUpdate> Updates { get; init; } = [];

    /// <summary>Gets an exception thrown instead of answering (before any update), or after <see cref="FailAfter"/> updates.</summary>
    public Exception? Error { get; init; }

    /// <summary>Gets the number of updates streamed before <see cref="Error"/> is thrown; null throws before any.</summary>
    public int? FailAfter { get; init; }

    /// <summary>
    /// Gets the number of updates after which the turn waits until the call is cancelled (never ends on its own);
    /// a non-streaming call stalls before answering when this is set.
    /// </summary>
    public int? StallAfter { get; init; }

    /// <summary>Gets a delay awaited (with the call's token) before each update.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>
    /// Gets a callback awaited before update <c>i</c> (0-based) is yielded, e.g. to hold a chunk until the test
    /// releases it; gets the call's token.
    /// </summary>
    public Func<int, CancellationToken, Task>? BeforeUpdate { get; init; }

    /// <summary>Gets the concatenated text of the updates.</summary>
    public string Text => string.Concat(Updates.Select(u => u.Text));

    /// <summary>Creates a turn that streams the given text chunks, then a usage update when given.</summary>
    /// <param name="chunks">The text chunks.</param>
    /// <returns>The turn.</returns>
    public static ScriptedTurn FromText(params string[] chunks) => new()
    {
        Updates = [.. chunks.Select(c => new ChatResponseUpdate(ChatRole.Assistant, c) { ModelId = ScriptedChatClient.DefaultModel })],
    };

    /// <summary>Creates a turn that streams <paramref name="count"/> one-token chunks ("t0 ", "t1 ", ...).</summary>
    /// <param name="count">The number of chunks.</param>
    /// <returns>The turn.</returns>
    public static ScriptedTurn Tokens(int count) => FromText([.. Enumerable.Range(0, count).Select(i => $"t{i} ")]);

    /// <summary>Creates a turn that throws <paramref name="error"/> without answering.</summary>
    /// <param name="error">The exception.</param>
    /// <returns>The turn.</returns>
    public static ScriptedTurn Throw(Exception error) => new() { Error = error };

    /// <summary>Creates a turn that asks for one tool call (an assistant message with a <see cref="FunctionCallContent"/>).</summary>
    /// <param name="name">The function name (for SK plugins: <c>Plugin-Function</c>).</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="callId">The call id.</param>
    /// <returns>The turn.</returns>
    public static ScriptedTurn ToolCall(string name, IDictionary<string, object?>? arguments = null, string callId = "call_1") => new()
    {
        Updates =
        [
            new ChatResponseUpdate
            {
                Role = ChatRole.Assistant,
                ModelId = ScriptedChatClient.DefaultModel,
                Contents = [new FunctionCallContent(callId, name, arguments ?? new Dictionary<string, object?>())],
                FinishReason = ChatFinishReason.ToolCalls,
            },
        ],
    };

    /// <summary>Returns a copy that ends with a usage update (input, output and total token counts).</summary>
    /// <param name="input">Input tokens.</param>
    /// <param name="output">Output tokens.</param>
    /// <returns>The turn.</returns>
    public ScriptedTurn WithUsage(long input, long output) => this with
    {
        Updates =
        [
            .. Updates,
            new ChatResponseUpdate
            {
                Role = ChatRole.Assistant,
                ModelId = ScriptedChatClient.DefaultModel,
                FinishReason = ChatFinishReason.Stop,
                Contents = [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output })],
            },
        ],
    };

    /// <summary>Returns a copy whose updates report <paramref name="model"/> as the response model.</summary>
    /// <param name="model">The model id.</param>
    /// <returns>The turn.</returns>
    public ScriptedTurn WithModel(string model) => this with
    {
        Updates = [.. Updates.Select(u => { var c = u.Clone(); c.ModelId = model; return c; })],
    };
}
