using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>Where a <see cref="MongoCollection{TKey, TRecord}.WatchAsync"/> stream starts, and how it reads.</summary>
public sealed class MongoWatchOptions
{
    /// <summary>Gets or sets the resume token of the last event handled: the stream continues after it.</summary>
    public BsonDocument? ResumeAfter { get; set; }

    /// <summary>Gets or sets a resume token to start after, even one of an invalidate event (a dropped collection).</summary>
    public BsonDocument? StartAfter { get; set; }

    /// <summary>Gets or sets the number of events per batch, or <see langword="null"/> for the server's default.</summary>
    public int? BatchSize { get; set; }

    /// <summary>Gets or sets how long the server waits for new events before answering an empty batch.</summary>
    public TimeSpan? MaxAwaitTime { get; set; }
}
