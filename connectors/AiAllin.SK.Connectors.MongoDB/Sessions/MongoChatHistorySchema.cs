using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Sessions;

/// <summary>
/// The indexes of the chat-history collections: the unique <c>(session, seq)</c> index that makes two messages at one
/// sequence impossible, TTL indexes on both collections' <c>expiresAt</c>, and the listing index by owner and tenant.
/// <c>createIndexes</c> accepts an identical index again, so this is idempotent.
/// </summary>
internal static class MongoChatHistorySchema
{
    public static List<CreateIndexModel<BsonDocument>> SessionIndexes() =>
    [
        new(new BsonDocument { { "owner", 1 }, { "tenant", 1 }, { "updatedAt", -1 } }, new CreateIndexOptions { Name = "owner_tenant_updated" }),
        new(new BsonDocument("expiresAt", 1), new CreateIndexOptions { Name = "ttl_index", ExpireAfter = TimeSpan.Zero }),
    ];

    public static List<CreateIndexModel<BsonDocument>> MessageIndexes() =>
    [
        new(new BsonDocument { { "session", 1 }, { "seq", 1 } }, new CreateIndexOptions { Name = "session_seq", Unique = true }),
        new(new BsonDocument("batch", 1), new CreateIndexOptions { Name = "batch" }),
        new(new BsonDocument("expiresAt", 1), new CreateIndexOptions { Name = "ttl_index", ExpireAfter = TimeSpan.Zero }),
    ];

    public static async Task EnsureAsync(IMongoCollection<BsonDocument> sessions, IMongoCollection<BsonDocument> messages)
    {
        await sessions.Indexes.CreateManyAsync(SessionIndexes()).ConfigureAwait(false);
        await messages.Indexes.CreateManyAsync(MessageIndexes()).ConfigureAwait(false);
    }
}
