using System.Text;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Streaming;

/// <summary>
/// Reads a stream of updates, hands text, tool calls and tool results to a callback (text grouped by a
/// <see cref="StreamBuffering"/>) and returns the aggregated response. One instance per stream.
/// </summary>
internal sealed class TokenStreamer
{
    private readonly Func<StreamToken, CancellationToken, ValueTask> _onToken;
    private readonly StreamTextBuffer _buffer;
    private readonly List<ChatResponseUpdate> _received = [];
    private readonly StringBuilder _answer = new();
    private StreamPhase? _textPhase;
    private bool _afterToolResult;
    private int _index;
    private int _turn;

    public TokenStreamer(Func<StreamToken, CancellationToken, ValueTask> onToken, StreamBuffering? buffering)
    {
        ArgumentNullException.ThrowIfNull(onToken);
        _onToken = onToken;
        _buffer = new StreamTextBuffer(buffering ?? StreamBuffering.PerToken);
    }

    /// <summary>Gets what has been received so far, aggregated (after a failure or cancellation: the partial response).</summary>
    public ChatResponse Received => _received.ToChatResponse();

    /// <summary>Streams <paramref name="updates"/> to <paramref name="onToken"/> and returns the whole response.</summary>
    /// <exception cref="ChatStreamException">The stream failed; what was delivered is on the exception.</exception>
    public static Task<ChatResponse> RunAsync(
        IAsyncEnumerable<ChatResponseUpdate> updates,
        Func<StreamToken, CancellationToken, ValueTask> onToken,
        StreamBuffering? buffering,
        CancellationToken cancellationToken) =>
        new TokenStreamer(onToken, buffering).RunAsync(updates, cancellationToken);

    /// <summary>Adapts a synchronous callback.</summary>
    public static Func<StreamToken, CancellationToken, ValueTask> Adapt(Action<StreamToken> onToken)
    {
        ArgumentNullException.ThrowIfNull(onToken);
        return (token, _) =>
        {
            onToken(token);
            return ValueTask.CompletedTask;
        };
    }

    /// <summary>Streams <paramref name="updates"/> to the callback and returns the whole response; one call per instance.</summary>
    /// <exception cref="ChatStreamException">The stream failed; what was delivered is on the exception.</exception>
    public async Task<ChatResponse> RunAsync(IAsyncEnumerable<ChatResponseUpdate> updates, CancellationToken cancellationToken)
    {
        // Disposing the enumerator (also when the callback throws or the caller cancels) ends the HTTP response.
        var enumerator = updates.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    await EndTextPhaseAsync(cancellationToken).ConfigureAwait(false);
                    throw new ChatStreamException(_answer.ToString(), _index, _received.ToChatResponse(), ex);
                }

                if (!more)
                {
                    break;
                }

                _received.Add(enumerator.Current);
                await HandleAsync(enumerator.Current, cancellationToken).ConfigureAwait(false);

                // A source that ignores the token must not keep the caller waiting after it cancelled.
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        await EndTextPhaseAsync(cancellationToken).ConfigureAwait(false);
        return _received.ToChatResponse();
    }

    private async ValueTask HandleAsync(ChatResponseUpdate update, CancellationToken cancellationToken)
    {
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextReasoningContent { Text.Length: > 0 } reasoning:
                    await TextAsync(StreamPhase.Reasoning, reasoning.Text, cancellationToken).ConfigureAwait(false);
                    break;
                case TextContent { Text.Length: > 0 } text:
                    await TextAsync(StreamPhase.Answer, text.Text, cancellationToken).ConfigureAwait(false);
                    break;
                case FunctionCallContent call:
                    await EndTextPhaseAsync(cancellationToken).ConfigureAwait(false);
                    await DeliverAsync(StreamPhase.ToolCall, string.Empty, call, cancellationToken).ConfigureAwait(false);
                    break;
                case FunctionResultContent result:
                    await EndTextPhaseAsync(cancellationToken).ConfigureAwait(false);
                    await DeliverAsync(StreamPhase.ToolResult, string.Empty, result, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async ValueTask TextAsync(StreamPhase phase, string text, CancellationToken cancellationToken)
    {
        if (_textPhase != phase)
        {
            await EndTextPhaseAsync(cancellationToken).ConfigureAwait(false);
            _textPhase = phase;
        }

        if (_buffer.Add(text) is { } ready)
        {
            await DeliverAsync(phase, ready, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask EndTextPhaseAsync(CancellationToken cancellationToken)
    {
        if (_textPhase is { } phase && _buffer.Flush() is { } rest)
        {
            await DeliverAsync(phase, rest, null, cancellationToken).ConfigureAwait(false);
        }

        _textPhase = null;
    }

    private ValueTask DeliverAsync(StreamPhase phase, string text, AIContent? content, CancellationToken cancellationToken)
    {
        // The first delivery after a round of tool results belongs to the model's next turn.
        if (_afterToolResult && phase != StreamPhase.ToolResult)
        {
            _turn++;
        }

        _afterToolResult = phase == StreamPhase.ToolResult;
        if (phase == StreamPhase.Answer)
        {
            _answer.Append(text);
        }

        return _onToken(new StreamToken { Phase = phase, Text = text, Content = content, Index = _index++, Turn = _turn }, cancellationToken);
    }
}
