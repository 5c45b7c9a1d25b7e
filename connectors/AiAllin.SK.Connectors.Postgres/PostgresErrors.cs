using System.Runtime.CompilerServices;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// Turns the failures of PostgreSQL and of reading its values into <see cref="VectorStoreException"/>, as MEVD
/// callers expect, for single operations and for row streams alike.
/// </summary>
internal static class PostgresErrors
{
    public static async Task<T> RunAsync<T>(string operation, string collection, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw Wrap(e, operation, collection);
        }
    }

    /// <summary>
    /// Passes the rows of <paramref name="source"/> on as they arrive, mapping a failure of any step (opening,
    /// executing, reading a row, closing) the way <see cref="RunAsync{T}"/> does. C# cannot yield inside a
    /// <c>try</c> with a <c>catch</c>, so each step of the enumerator is guarded on its own.
    /// </summary>
    public static async IAsyncEnumerable<T> StreamAsync<T>(
        IAsyncEnumerable<T> source, string operation, string collection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
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
                catch (Exception e) when (IsStoreFailure(e))
                {
                    throw Wrap(e, operation, collection);
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
            catch (Exception e) when (IsStoreFailure(e))
            {
#pragma warning disable CA2219 // A failure to close the reader is the caller's error to see, mapped like the others.
                throw Wrap(e, operation, collection);
#pragma warning restore CA2219
            }
        }
    }

    private static bool IsStoreFailure(Exception e) => e is NpgsqlException or InvalidCastException;

    private static VectorStoreException Wrap(Exception e, string operation, string collection)
        => new($"PostgreSQL failed to {operation} on collection '{collection}': {e.Message}", e)
        {
            VectorStoreSystemName = PostgresVectorStore.SystemName,
            CollectionName = collection,
            OperationName = operation,
        };
}
