using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.VectorData;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// Turns the driver's failures into <see cref="VectorStoreException"/> with a message that says what happened and
/// whether retrying can help, for single operations, bulk writes and cursors alike.
/// </summary>
internal static class MongoErrors
{
    public const int DuplicateKeyCode = 11000;
    public const int WriteConflictCode = 112;
    public const int NamespaceExistsCode = 48;
    public const int ChangeStreamNotSupportedCode = 40573;
    public const int IndexOptionsConflictCode = 85;
    public const int IndexKeySpecsConflictCode = 86;

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

    /// <summary>
    /// The outcome of a partly failed unordered bulk write: which records were written and which were refused and why.
    /// <paramref name="keys"/> holds the key of each request, in the order sent.
    /// </summary>
    public static MongoBatchWriteException BatchFailure(MongoBulkWriteException<BsonDocument> e, IReadOnlyList<object> keys, string operation, string collection)
    {
        var failures = e.WriteErrors
            .Select(error => new MongoRecordWriteFailure(keys[error.Index], error.Index, error.Code, Describe(error.Code, error.Message)))
            .ToList();
        var failed = failures.Select(f => f.Index).ToHashSet();
        var written = keys.Where((_, i) => !failed.Contains(i)).ToList();
        var outcomeKnown = e.WriteConcernError is null;
        var summary = string.Join("; ", failures.Take(5).Select(f => $"key '{f.Key}': {f.Message}"));
        var message = $"MongoDB failed to {operation} {failures.Count} of {keys.Count} records on collection '{collection}' ({summary}" +
            (failures.Count > 5 ? "; ..." : string.Empty) + "). " +
            (outcomeKnown
                ? $"The other {written.Count} were written; the exception's WrittenKeys and Failures list them."
                : $"The write concern was not satisfied ({e.WriteConcernError!.Message}), so the other {written.Count} may not be durable.");
        return new MongoBatchWriteException(message, e)
        {
            WrittenKeys = written,
            Failures = failures,
            OutcomeKnown = outcomeKnown,
            VectorStoreSystemName = MongoVectorStore.SystemName,
            CollectionName = collection,
            OperationName = operation,
        };
    }

    public static VectorStoreException Wrap(Exception e, string operation, string collection)
        => new($"MongoDB failed to {operation} on collection '{collection}': {Describe(e)}", e)
        {
            VectorStoreSystemName = MongoVectorStore.SystemName,
            CollectionName = collection,
            OperationName = operation,
        };

    /// <summary>Whether retrying the same operation can succeed: elections, lost connections, write conflicts, timeouts.</summary>
    public static bool IsTransient(Exception e)
        => e is MongoNotPrimaryException or MongoNodeIsRecoveringException or MongoConnectionException or TimeoutException or MongoExecutionTimeoutException
            || (e is MongoCommandException command && command.Code == WriteConflictCode)
            || (e is MongoException mongo && (mongo.HasErrorLabel("TransientTransactionError") || mongo.HasErrorLabel("RetryableWriteError")));

    public static bool IsDuplicateKey(Exception e)
        => e switch
        {
            MongoWriteException write => write.WriteError?.Category == ServerErrorCategory.DuplicateKey,
            MongoCommandException command => command.Code == DuplicateKeyCode,
            MongoBulkWriteException bulk => bulk.WriteErrors.Any(w => w.Category == ServerErrorCategory.DuplicateKey),
            _ => false,
        };

    public static string Describe(Exception e) => e switch
    {
        _ when IsDuplicateKey(e) => $"a record with the same key already exists (E11000). {e.Message}",
        MongoNotPrimaryException => $"the server is not the primary (an election or a read-only member); the write can be retried. {e.Message}",
        MongoNodeIsRecoveringException => $"the server is recovering; the operation can be retried. {e.Message}",
        MongoCommandException { Code: WriteConflictCode } => $"a concurrent write changed the same document (WriteConflict); the operation can be retried. {e.Message}",
        MongoConnectionException => $"the connection to the server failed; the operation can be retried. {e.Message}",
        TimeoutException or MongoExecutionTimeoutException => $"the operation timed out (no suitable server, or the server's time limit). {e.Message}",
        _ => e.Message,
    };

    private static string Describe(int code, string message)
        => code == DuplicateKeyCode ? $"duplicate key (E11000): {message}" : $"error {code}: {message}";

    private static bool IsStoreFailure(Exception e) => e is MongoException or TimeoutException or FormatException or InvalidCastException;
}
