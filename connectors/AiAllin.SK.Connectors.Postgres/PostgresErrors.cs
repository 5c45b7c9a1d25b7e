using AiAllin.SK.Connectors.Core.VectorData;
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

    /// <summary>Passes the items of <paramref name="source"/> on as they arrive, mapping a failure of any step as <see cref="RunAsync{T}"/> does.</summary>
    public static IAsyncEnumerable<T> StreamAsync<T>(IAsyncEnumerable<T> source, string operation, string collection, CancellationToken cancellationToken)
        => StoreFailureMapping.GuardAsync(source, IsStoreFailure, e => Wrap(e, operation, collection), cancellationToken);

    private static bool IsStoreFailure(Exception e) => e is NpgsqlException or InvalidCastException;

    private static VectorStoreException Wrap(Exception e, string operation, string collection)
        => new($"PostgreSQL failed to {operation} on collection '{collection}': {e.Message}", e)
        {
            VectorStoreSystemName = PostgresVectorStore.SystemName,
            CollectionName = collection,
            OperationName = operation,
        };
}
