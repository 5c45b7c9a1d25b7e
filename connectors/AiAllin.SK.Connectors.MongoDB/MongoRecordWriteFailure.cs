namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>One record of a batch that MongoDB refused, as reported by <see cref="MongoBatchWriteException"/>.</summary>
public sealed class MongoRecordWriteFailure
{
    internal MongoRecordWriteFailure(object key, int index, int code, string message)
    {
        Key = key;
        Index = index;
        Code = code;
        Message = message;
    }

    /// <summary>Gets the record's key.</summary>
    public object Key { get; }

    /// <summary>Gets the record's position in the batch sent (after duplicates of a key were collapsed to the last one).</summary>
    public int Index { get; }

    /// <summary>Gets MongoDB's error code (11000 for a duplicate key, for example).</summary>
    public int Code { get; }

    /// <summary>Gets MongoDB's error message.</summary>
    public string Message { get; }
}
