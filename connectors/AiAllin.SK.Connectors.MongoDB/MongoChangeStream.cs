using System.Runtime.CompilerServices;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// Reads a collection's change stream as typed events: the pipeline keeps the four document operations, an update
/// carries the current document (<c>updateLookup</c>), and a standalone server, which has no change streams, is
/// reported as such.
/// </summary>
internal static class MongoChangeStream
{
    /// <summary>The change-stream options for <paramref name="options"/> (the update lookup makes an update carry its record).</summary>
    public static ChangeStreamOptions Options(MongoWatchOptions options) => new()
    {
        FullDocument = ChangeStreamFullDocumentOption.UpdateLookup,
        ResumeAfter = options.ResumeAfter,
        StartAfter = options.StartAfter,
        BatchSize = options.BatchSize,
        MaxAwaitTime = options.MaxAwaitTime,
    };

    public static async IAsyncEnumerable<MongoChangeEvent<TKey, TRecord>> WatchAsync<TKey, TRecord>(
        IMongoCollection<BsonDocument> collection,
        MongoWatchOptions options,
        Func<BsonDocument, TRecord?> materialize,
        Func<BsonValue, TKey> key,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where TKey : notnull
        where TRecord : class
    {
        IChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor;
        try
        {
            cursor = await collection.WatchAsync(
                PipelineDefinition<ChangeStreamDocument<BsonDocument>, ChangeStreamDocument<BsonDocument>>.Create(MongoPipelines.ChangeStream()),
                Options(options),
                cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException e) when (e.Code == MongoErrors.ChangeStreamNotSupportedCode)
        {
            throw new NotSupportedException(
                $"Collection '{collection.CollectionNamespace.CollectionName}' cannot be watched: change streams need a replica set or a sharded cluster, and the server is standalone " +
                "(a single-member replica set is enough: start mongod with --replSet and run rs.initiate()).", e);
        }

        using (cursor)
        {
            while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var change in cursor.Current)
                {
                    var operation = change.OperationType switch
                    {
                        ChangeStreamOperationType.Insert => MongoChangeOperation.Insert,
                        ChangeStreamOperationType.Update => MongoChangeOperation.Update,
                        ChangeStreamOperationType.Replace => MongoChangeOperation.Replace,
                        ChangeStreamOperationType.Delete => MongoChangeOperation.Delete,
                        _ => (MongoChangeOperation?)null,
                    };

                    // An invalidate event (the collection was dropped or renamed) passes any $match and ends the stream.
                    if (operation is null)
                    {
                        yield break;
                    }

                    var record = change.FullDocument is { } full ? materialize(full) : null;
                    yield return new MongoChangeEvent<TKey, TRecord>(operation.Value, key(change.DocumentKey["_id"]), record, change.ResumeToken);
                }
            }
        }
    }
}
