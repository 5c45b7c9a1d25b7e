using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>One change of a watched collection.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TRecord">The record type.</typeparam>
public sealed class MongoChangeEvent<TKey, TRecord>
    where TKey : notnull
    where TRecord : class
{
    internal MongoChangeEvent(MongoChangeOperation operation, TKey key, TRecord? record, BsonDocument resumeToken)
    {
        Operation = operation;
        Key = key;
        Record = record;
        ResumeToken = resumeToken;
    }

    /// <summary>Gets what happened.</summary>
    public MongoChangeOperation Operation { get; }

    /// <summary>Gets the key of the record that changed.</summary>
    public TKey Key { get; }

    /// <summary>
    /// Gets the record after the change: none for a delete, nor when the record was deleted or had expired by the time
    /// an update was looked up. Vectors are included unless the collection generates its embeddings.
    /// </summary>
    public TRecord? Record { get; }

    /// <summary>Gets the token to resume after this event (<see cref="MongoWatchOptions.ResumeAfter"/>); store it to survive restarts.</summary>
    public BsonDocument ResumeToken { get; }
}
