using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.MongoDB.Sessions;
using AiAllin.SK.Testing.Conditional;
using AiAllin.SK.Testing.Servers;
using AiAllin.SK.Testing.Sessions;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests.Sessions;

/// <summary>
/// The shared chat-history conformance suite, run against MongoDB in the test database (skipped with the reason when
/// <c>AIALLIN_MONGODB_URL</c> is not set, under CI=true too).
/// </summary>
[RequiresServer(TestServers.MongoVariable, RequiredInCi = false)]
public sealed class MongoChatHistoryStoreConformanceTests : ChatHistoryStoreConformance
{
    protected override Task<IChatHistoryStore> CreateStoreAsync(ChatHistoryStoreOptions options)
        => Task.FromResult<IChatHistoryStore>(new MongoChatHistoryStore(MongoTestStore.Database, options));

    protected override async Task CorruptStoredMessageAsync(IChatHistoryStore store, string sessionId, long sequence)
    {
        var messages = ((MongoChatHistoryStore)store).Messages;
        var row = await (await messages.FindAsync(Message(sessionId, sequence))).SingleAsync();
        var payload = row["payload"].AsByteArray;
        payload[20] ^= 1;
        var changed = await messages.UpdateOneAsync(Message(sessionId, sequence), new BsonDocument("$set", new BsonDocument("payload", new BsonBinaryData(payload))));
        Assert.Equal(1, changed.ModifiedCount);
    }

    protected override async Task SwapStoredMessagesAsync(IChatHistoryStore store, string sessionId, long first, long second)
    {
        var messages = ((MongoChatHistoryStore)store).Messages;
        var a = await (await messages.FindAsync(Message(sessionId, first))).SingleAsync();
        var b = await (await messages.FindAsync(Message(sessionId, second))).SingleAsync();
        await messages.UpdateOneAsync(Message(sessionId, first), new BsonDocument("$set", new BsonDocument("payload", b["payload"])));
        await messages.UpdateOneAsync(Message(sessionId, second), new BsonDocument("$set", new BsonDocument("payload", a["payload"])));
    }

    private static BsonDocument Message(string sessionId, long sequence)
        => new() { { "session", sessionId }, { "seq", sequence } };
}
