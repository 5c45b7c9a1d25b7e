using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Streaming;

/// <summary>
/// Streams an <see cref="IChatClient"/>'s response to a callback and returns the whole response, so a caller gets live
/// tokens and the aggregated message (text, reasoning, tool calls and their results, usage, finish reason) from one call.
/// </summary>
/// <remarks>
/// <para>Tool calls are invoked by the client's own function invocation (for example <c>UseFunctionInvocation()</c> or
/// SK's <c>UseKernelFunctionInvocation()</c>); the callback sees each call and result in its phase and the stream
/// continues with the model's next turn.</para>
/// <para>If the callback throws, or the cancellation token is cancelled, the stream stops at once and its
/// connection is released; the callback's exception or the <see cref="OperationCanceledException"/> propagates as it is.
/// A failure of the stream itself (provider error, malformed chunk, a timeout policy) surfaces as a
/// <see cref="ChatStreamException"/> carrying the delivered text and count.</para>
/// </remarks>
public static class ChatClientStreamingExtensions
{
    /// <summary>Streams the response to <paramref name="onToken"/> and returns the whole response.</summary>
    /// <param name="client">The chat client.</param>
    /// <param name="messages">The conversation.</param>
    /// <param name="onToken">Called for each delivery, in order; the next delivery waits for the returned task.</param>
    /// <param name="options">The chat options.</param>
    /// <param name="buffering">How text is grouped; <see langword="null"/> for <see cref="StreamBuffering.PerToken"/>.</param>
    /// <param name="cancellationToken">A token to stop the stream.</param>
    /// <returns>The aggregated response.</returns>
    /// <exception cref="ChatStreamException">The stream failed; what was delivered is on the exception.</exception>
    public static Task<ChatResponse> StreamResponseAsync(
        this IChatClient client,
        IEnumerable<ChatMessage> messages,
        Func<StreamToken, CancellationToken, ValueTask> onToken,
        ChatOptions? options = null,
        StreamBuffering? buffering = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(onToken);
        return TokenStreamer.RunAsync(client.GetStreamingResponseAsync(messages, options, cancellationToken), onToken, buffering, cancellationToken);
    }

    /// <summary>Streams the response to a synchronous <paramref name="onToken"/> and returns the whole response.</summary>
    /// <param name="client">The chat client.</param>
    /// <param name="messages">The conversation.</param>
    /// <param name="onToken">Called for each delivery, in order.</param>
    /// <param name="options">The chat options.</param>
    /// <param name="buffering">How text is grouped; <see langword="null"/> for <see cref="StreamBuffering.PerToken"/>.</param>
    /// <param name="cancellationToken">A token to stop the stream.</param>
    /// <returns>The aggregated response.</returns>
    /// <exception cref="ChatStreamException">The stream failed; what was delivered is on the exception.</exception>
    public static Task<ChatResponse> StreamResponseAsync(
        this IChatClient client,
        IEnumerable<ChatMessage> messages,
        Action<StreamToken> onToken,
        ChatOptions? options = null,
        StreamBuffering? buffering = null,
        CancellationToken cancellationToken = default) =>
        client.StreamResponseAsync(messages, TokenStreamer.Adapt(onToken), options, buffering, cancellationToken);

    /// <summary>Streams the response to one user message to <paramref name="onToken"/> and returns the whole response.</summary>
    /// <param name="client">The chat client.</param>
    /// <param name="userMessage">The user's message.</param>
    /// <param name="onToken">Called for each delivery, in order.</param>
    /// <param name="options">The chat options.</param>
    /// <param name="buffering">How text is grouped; <see langword="null"/> for <see cref="StreamBuffering.PerToken"/>.</param>
    /// <param name="cancellationToken">A token to stop the stream.</param>
    /// <returns>The aggregated response.</returns>
    /// <exception cref="ChatStreamException">The stream failed; what was delivered is on the exception.</exception>
    public static Task<ChatResponse> StreamResponseAsync(
        this IChatClient client,
        string userMessage,
        Action<StreamToken> onToken,
        ChatOptions? options = null,
        StreamBuffering? buffering = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userMessage);
        return client.StreamResponseAsync([new ChatMessage(ChatRole.User, userMessage)], TokenStreamer.Adapt(onToken), options, buffering, cancellationToken);
    }
}
