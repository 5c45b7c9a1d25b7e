using System.Runtime.CompilerServices;

namespace AiAllin.SK.Filters.Pipeline;

/// <summary>The one loop that reads a stream on behalf of a <see cref="StreamObserver{T}"/>.</summary>
internal static class ObservedStream
{
    /// <summary>Reads the observer's source, passing every item through as soon as it arrives.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="observer">The observer; one per stream.</param>
    /// <param name="cancellationToken">The caller's token, given to <see cref="StreamObserver{T}.OpenAsync"/>.</param>
    /// <returns>The items of the source.</returns>
    public static async IAsyncEnumerable<T> ReadAsync<T>(StreamObserver<T> observer, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IAsyncEnumerator<T> source;
        try
        {
            source = await observer.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await observer.OnFailedAsync(ex).ConfigureAwait(false);
            throw;
        }

        var ended = false;
        try
        {
            while (true)
            {
                T item;
                try
                {
                    if (!await source.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    item = source.Current;
                }
                catch (Exception ex)
                {
                    ended = true;
                    await observer.OnFailedAsync(ex).ConfigureAwait(false);
                    throw;
                }

                observer.OnItem(item);
                yield return item;
            }

            ended = true;
        }
        finally
        {
            await source.DisposeAsync().ConfigureAwait(false);
            if (!ended)
            {
                observer.OnAbandoned();
            }
        }

        await observer.OnCompletedAsync().ConfigureAwait(false);
    }
}
