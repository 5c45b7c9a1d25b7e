using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>
/// The streaming half shared by retry, fallback and circuit breaker: the stream is opened and its first update read
/// under the policy (so a failure before any output is retried or falls back), and everything after is passed
/// through; a later failure that the policy would have handled surfaces as <see cref="StreamInterruptedException"/>.
/// </summary>
internal static class ResilientStream
{
    /// <summary>Opens a stream and reads its first update; on failure disposes it and throws the mapped exception.</summary>
    public static async ValueTask<StreamStart> OpenAsync(
        IChatClient client,
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        string provider,
        CancellationToken cancellationToken)
    {
        var updates = client.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            return new StreamStart(updates, await updates.MoveNextAsync().ConfigureAwait(false));
        }
        catch (Exception exception)
        {
            await updates.DisposeAsync().ConfigureAwait(false);
            var mapped = ProviderErrorMapper.Map(exception, provider, cancellationToken);
            if (ReferenceEquals(mapped, exception))
            {
                ExceptionDispatchInfo.Throw(exception);
            }

            throw mapped;
        }
    }

    /// <summary>Runs <paramref name="open"/> when enumeration starts, then passes the updates through.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        Func<CancellationToken, ValueTask<StreamStart>> open,
        string provider,
        Func<Exception, bool> wouldHandle,
        ILogger logger,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = await open(cancellationToken).ConfigureAwait(false);
        var updates = start.Updates;
        await using (updates.ConfigureAwait(false))
        {
            if (!start.HasFirst)
            {
                yield break;
            }

            var delivered = 1;
            yield return updates.Current;
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception exception) when (IsInterruption(exception, provider, wouldHandle, cancellationToken))
                {
                    ResilienceLog.StreamInterrupted(logger, provider, delivered, exception.GetType().Name);
                    throw new StreamInterruptedException(provider, delivered, exception);
                }

                delivered++;
                yield return updates.Current;
            }
        }
    }

    private static bool IsInterruption(Exception exception, string provider, Func<Exception, bool> wouldHandle, CancellationToken cancellationToken)
        => exception is not StreamInterruptedException
           && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
           && wouldHandle(ProviderErrorMapper.Map(exception, provider, cancellationToken));
}
