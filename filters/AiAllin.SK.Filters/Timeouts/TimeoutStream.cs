using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Timeouts;

/// <summary>
/// The timed stream of one call, written out by hand rather than as an async iterator: when the inner stream has the
/// next update ready (the common case for buffered network reads) a move costs two time stamps and no state machine.
/// </summary>
internal sealed class TimeoutStream(
    TimeoutPolicy policy, TimeoutOptions options, IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? chatOptions, CancellationToken callToken)
    : IAsyncEnumerable<ChatResponseUpdate>
{
    public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        // Either token may be the caller's; both must cancel the call, and either one stays a cancellation, not a timeout.
        var callerToken = callToken;
        CancellationTokenSource? linked = null;
        if (cancellationToken.CanBeCanceled && cancellationToken != callToken)
        {
            if (callToken.CanBeCanceled)
            {
                linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, cancellationToken);
                callerToken = linked.Token;
            }
            else
            {
                callerToken = cancellationToken;
            }
        }

        var scope = new TimeoutScope(options, streaming: true, callerToken);
        try
        {
            return new Enumerator(policy, scope, linked, inner.GetStreamingResponseAsync(messages, chatOptions, scope.Token).GetAsyncEnumerator(scope.Token), callerToken);
        }
        catch
        {
            scope.Dispose();
            linked?.Dispose();
            throw;
        }
    }

    private sealed class Enumerator(
        TimeoutPolicy policy, TimeoutScope scope, CancellationTokenSource? linked, IAsyncEnumerator<ChatResponseUpdate> inner, CancellationToken callerToken)
        : IAsyncEnumerator<ChatResponseUpdate>
    {
        public ChatResponseUpdate Current { get; private set; } = null!;

        public ValueTask<bool> MoveNextAsync()
        {
            scope.BeginWait();
            ValueTask<bool> move;
            try
            {
                move = inner.MoveNextAsync();
            }
            catch (Exception ex) when (scope.Fired is { } limit && !callerToken.IsCancellationRequested)
            {
                return ValueTask.FromException<bool>(policy.TimedOut(scope, limit, "chat stream", ex));
            }

            if (move.IsCompletedSuccessfully)
            {
                return new ValueTask<bool>(Advance(move.Result));
            }

            return AwaitAsync(move);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                scope.Dispose();
                linked?.Dispose();
            }
        }

        private bool Advance(bool more)
        {
            if (more)
            {
                Current = inner.Current;
                scope.EndWait();
            }

            return more;
        }

        private async ValueTask<bool> AwaitAsync(ValueTask<bool> move)
        {
            try
            {
                return Advance(await move.ConfigureAwait(false));
            }
            catch (Exception ex) when (scope.Fired is { } limit && !callerToken.IsCancellationRequested)
            {
                throw policy.TimedOut(scope, limit, "chat stream", ex);
            }
        }
    }
}
