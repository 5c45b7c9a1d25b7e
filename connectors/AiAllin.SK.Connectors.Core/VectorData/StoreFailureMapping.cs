using System.Runtime.CompilerServices;

namespace AiAllin.SK.Connectors.Core.VectorData;

/// <summary>Maps the failures of a store's result stream to the exception its callers expect, row by row.</summary>
public static class StoreFailureMapping
{
    /// <summary>
    /// Passes the items of <paramref name="source"/> on as they arrive, replacing a failure of any step (opening,
    /// executing, reading an item, closing) that <paramref name="isStoreFailure"/> recognises with
    /// <paramref name="wrap"/>'s exception. C# cannot yield inside a <c>try</c> with a <c>catch</c>, so each step of the
    /// enumerator is guarded on its own.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="source">The store's stream.</param>
    /// <param name="isStoreFailure">Whether an exception is the store's (and so to be wrapped) rather than the caller's.</param>
    /// <param name="wrap">Builds the exception to throw instead, for example a <c>VectorStoreException</c> naming the operation.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The same items.</returns>
    public static async IAsyncEnumerable<T> GuardAsync<T>(
        IAsyncEnumerable<T> source, Func<Exception, bool> isStoreFailure, Func<Exception, Exception> wrap, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(isStoreFailure);
        ArgumentNullException.ThrowIfNull(wrap);
        var enumerator = source.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                T current;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }

                    current = enumerator.Current;
                }
                catch (Exception e) when (isStoreFailure(e))
                {
                    throw wrap(e);
                }

                yield return current;
            }
        }
        finally
        {
            try
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (isStoreFailure(e))
            {
#pragma warning disable CA2219 // A failure to close the reader is the caller's error to see, mapped like the others.
                throw wrap(e);
#pragma warning restore CA2219
            }
        }
    }
}
