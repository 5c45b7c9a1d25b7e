namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>What a <see cref="MongoChangeEvent{TKey, TRecord}"/> reports.</summary>
public enum MongoChangeOperation
{
    /// <summary>A record was inserted.</summary>
    Insert,

    /// <summary>Fields of a record were updated in place (by another writer; the store itself replaces whole records).</summary>
    Update,

    /// <summary>A record was replaced (an upsert of an existing key).</summary>
    Replace,

    /// <summary>A record was deleted, or removed by the TTL monitor.</summary>
    Delete,
}
