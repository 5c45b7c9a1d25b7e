namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// One scripted answer to one request, written without any wire format in mind; each <see cref="WireServer"/>
/// renders it in its provider's documented format (a whole JSON response, or SSE/NDJSON chunks when the request asks
/// to stream).
/// </summary>
/// <remarks>
/// Streamed order: reasoning chunks, text chunks, then each tool call (its header, then one chunk per argument
/// fragment), then the finish reason and usage, then the end-of-stream marker. "Content chunks" counted by
/// <see cref="MalformedAfter"/>, <see cref="ErrorEventAfter"/> and <see cref="StallAfter"/> are the reasoning, text
/// and argument-fragment chunks, in that order.
/// </remarks>
public sealed record ScriptedReply
{
    /// <summary>Gets the text, one element per streamed chunk.</summary>
    public IReadOnlyList<string> TextChunks { get; init; } = [];

    /// <summary>Gets reasoning ("thinking") text, one element per streamed chunk, where the format has it.</summary>
    public IReadOnlyList<string> ReasoningChunks { get; init; } = [];

    /// <summary>Gets the tool calls, in order; more than one means parallel tool calls.</summary>
    public IReadOnlyList<ScriptedToolCall> ToolCalls { get; init; } = [];

    /// <summary>
    /// Gets the neutral finish reason: <c>stop</c>, <c>length</c>, <c>tool_calls</c> or <c>content_filter</c>; each
    /// format maps it to its own word. <see langword="null"/> picks <c>tool_calls</c> when there are tool calls, else <c>stop</c>.
    /// </summary>
    public string? FinishReason { get; init; }

    /// <summary>Gets the usage to report; <see langword="null"/> reports none.</summary>
    public ScriptedUsage? Usage { get; init; }

    /// <summary>Gets the model name the response reports; <see langword="null"/> echoes the requested model.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the response id; <see langword="null"/> makes one up.</summary>
    public string? ResponseId { get; init; }

    /// <summary>
    /// Gets the embedding vectors to answer an embeddings request with, one per input in order; <see langword="null"/>
    /// makes each input's vector with <see cref="DeterministicEmbedding.For"/> at the requested dimensions (8 when the
    /// request names none).
    /// </summary>
    public IReadOnlyList<float[]>? Embeddings { get; init; }

    /// <summary>Gets the HTTP error to answer with instead of a response.</summary>
    public ScriptedError? Error { get; init; }

    /// <summary>Gets the number of content chunks after which a line that is not valid JSON is sent (streams only).</summary>
    public int? MalformedAfter { get; init; }

    /// <summary>
    /// Gets the number of content chunks after which the provider's documented in-stream error is sent and the stream
    /// ends (Anthropic's <c>error</c> event, Ollama's <c>{"error": ...}</c> line, OpenAI's <c>data: {"error": ...}</c>).
    /// </summary>
    public int? ErrorEventAfter { get; init; }

    /// <summary>Gets the message of the in-stream error sent after <see cref="ErrorEventAfter"/> chunks.</summary>
    public string ErrorEventMessage { get; init; } = "The server had an error while processing your request.";

    /// <summary>Gets the number of content chunks after which the stream stalls until the client goes away (streams only).</summary>
    public int? StallAfter { get; init; }

    /// <summary>Gets the delay before each streamed chunk.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Gets format-specific extras a server understands (for example Azure content-filter results); ignored by others.</summary>
    public IReadOnlyDictionary<string, object?> Extras { get; init; } = new Dictionary<string, object?>();

    /// <summary>Gets the finish reason to send: <see cref="FinishReason"/> or the default for the content.</summary>
    public string EffectiveFinishReason => FinishReason ?? (ToolCalls.Count > 0 ? "tool_calls" : "stop");

    /// <summary>Gets the whole text (the chunks joined).</summary>
    public string Text => string.Concat(TextChunks);

    /// <summary>Gets the whole reasoning text (the chunks joined).</summary>
    public string Reasoning => string.Concat(ReasoningChunks);

    /// <summary>Creates a text reply streamed in the given chunks, with usage.</summary>
    /// <param name="chunks">The text, one element per chunk.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply WithText(params string[] chunks) => new() { TextChunks = chunks, Usage = new ScriptedUsage(12, chunks.Length) };

    /// <summary>Creates a reply that calls the given tools (in parallel when more than one).</summary>
    /// <param name="calls">The calls.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply WithToolCalls(params ScriptedToolCall[] calls) => new() { ToolCalls = calls, Usage = new ScriptedUsage(20, 9) };

    /// <summary>Creates an HTTP error reply.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="code">The provider error code or type.</param>
    /// <param name="message">The message.</param>
    /// <param name="retryAfter">The Retry-After to send, if any.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply WithError(int status, string code, string message, TimeSpan? retryAfter = null) =>
        new() { Error = new ScriptedError(status, code, message, retryAfter) };
}
