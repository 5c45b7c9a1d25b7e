using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Tests.TestSupport;

/// <summary>
/// An in-test <see cref="IChatClient"/> for middleware tests: answers each call with the next scripted turn (the last
/// turn repeats once the script runs out), streams its updates one by one, honours cancellation everywhere and records
/// every call it received.
/// </summary>
/// <remarks>
/// Usage: <c>var inner = new ScriptedChatClient(ScriptedTurn.FromText("Hel", "lo").WithUsage(10, 2));</c>, or with a
/// responder deciding per call: <c>new ScriptedChatClient(call =&gt; ScriptedTurn.FromText(call.LastUserText))</c>.
/// </remarks>
public sealed class ScriptedChatClient : IChatClient
{
    /// <summary>The model id reported when a turn does not set one.</summary>
    public const string DefaultModel = "scripted-model";

    private readonly Func<ScriptedCall, ScriptedTurn> _responder;
    private readonly ConcurrentQueue<ScriptedCall> _calls = new();
    private int _callCount;
    private int _activeStreams;
    private int _cancelledCalls;

    /// <summary>Initializes a client answering call <c>i</c> with <c>turns[i]</c> (the last turn repeats).</summary>
    /// <param name="turns">The turns; none answers every call with "ok".</param>
    public ScriptedChatClient(params ScriptedTurn[] turns)
    {
        var script = turns.Length == 0 ? [ScriptedTurn.FromText("ok")] : turns;
        _responder = call => script[Math.Min(call.Index, script.Length - 1)];
    }

    /// <summary>Initializes a client whose answer to each call is chosen by <paramref name="responder"/>.</summary>
    /// <param name="responder">Chooses the turn for a call.</param>
    public ScriptedChatClient(Func<ScriptedCall, ScriptedTurn> responder) => _responder = responder;

    /// <summary>Gets the calls received, in order.</summary>
    public IReadOnlyList<ScriptedCall> Calls => [.. _calls];

    /// <summary>Gets the number of calls received.</summary>
    public int CallCount => Volatile.Read(ref _callCount);

    /// <summary>Gets the number of streams started and not yet finished (disposed, completed or failed).</summary>
    public int ActiveStreams => Volatile.Read(ref _activeStreams);

    /// <summary>Gets the number of calls that observed their cancellation token cancelled.</summary>
    public int CancelledCalls => Volatile.Read(ref _cancelledCalls);

    /// <summary>Gets the metadata reported by <see cref="GetService"/>.</summary>
    public ChatClientMetadata Metadata { get; init; } = new("scripted", new Uri("http://localhost/scripted"), DefaultModel);

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var turn = Begin(messages, options, streaming: false);
        try
        {
            if (turn.Error is not null && turn.FailAfter is null)
            {
                throw turn.Error;
            }

            if (turn.StallAfter is not null)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var updates = new List<ChatResponseUpdate>(turn.Updates.Count);
            for (var i = 0; i < turn.Updates.Count; i++)
            {
                await BeforeAsync(turn, i, cancellationToken);
                updates.Add(Copy(turn.Updates[i]));
            }

            if (turn.Error is not null)
            {
                throw turn.Error;
            }

            return updates.ToChatResponse();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _cancelledCalls);
            throw;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var turn = Begin(messages, options, streaming: true);
        Interlocked.Increment(ref _activeStreams);
        try
        {
            if (turn.Error is not null && turn.FailAfter is null)
            {
                throw turn.Error;
            }

            for (var i = 0; i < turn.Updates.Count; i++)
            {
                if (turn.StallAfter == i)
                {
                    await StallAsync(cancellationToken);
                }

                if (turn.Error is not null && turn.FailAfter == i)
                {
                    throw turn.Error;
                }

                await BeforeAsync(turn, i, cancellationToken);
                yield return Copy(turn.Updates[i]);
            }

            if (turn.StallAfter is { } stall && stall >= turn.Updates.Count)
            {
                await StallAsync(cancellationToken);
            }

            if (turn.Error is not null)
            {
                throw turn.Error;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _activeStreams);
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private ScriptedTurn Begin(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        var index = Interlocked.Increment(ref _callCount) - 1;
        var call = new ScriptedCall(index, [.. messages.Select(m => m.Clone())], options, streaming);
        _calls.Enqueue(call);
        return _responder(call);
    }

    // A fresh update with fresh text contents per call, so a layer that rewrites text cannot change the script.
    private static ChatResponseUpdate Copy(ChatResponseUpdate update)
    {
        var copy = update.Clone();
        copy.Contents = [.. update.Contents.Select(c => c is TextContent t ? new TextContent(t.Text) : c)];
        return copy;
    }

    private async Task StallAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelledCalls);
            throw;
        }
    }

    private static async Task BeforeAsync(ScriptedTurn turn, int index, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (turn.ChunkDelay > TimeSpan.Zero)
        {
            await Task.Delay(turn.ChunkDelay, cancellationToken);
        }

        if (turn.BeforeUpdate is not null)
        {
            await turn.BeforeUpdate(index, cancellationToken);
        }
    }
}
