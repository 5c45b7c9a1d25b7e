using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// A batch upsert or delete that MongoDB carried out only in part. The batch was sent as one unordered bulk write, so
/// every record not in <see cref="Failures"/> was written (<see cref="WrittenKeys"/>) unless
/// <see cref="OutcomeKnown"/> is false, when the server could not confirm the write concern and any of them may or may not be durable.
/// </summary>
public sealed class MongoBatchWriteException : VectorStoreException
{
    /// <summary>Initializes a new instance with a message.</summary>
    public MongoBatchWriteException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The message.</param>
    public MongoBatchWriteException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the driver's exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The driver's exception.</param>
    public MongoBatchWriteException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the keys of the records the server wrote (or deleted).</summary>
    public IReadOnlyList<object> WrittenKeys { get; init; } = [];

    /// <summary>Gets the records the server refused, each with its reason.</summary>
    public IReadOnlyList<MongoRecordWriteFailure> Failures { get; init; } = [];

    /// <summary>Gets a value indicating whether <see cref="WrittenKeys"/> is certain (false after a write-concern error).</summary>
    public bool OutcomeKnown { get; init; } = true;
}
