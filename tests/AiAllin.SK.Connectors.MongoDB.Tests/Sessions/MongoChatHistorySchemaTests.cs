using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.MongoDB.Sessions;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests.Sessions;

/// <summary>The chat-history indexes as the driver renders them, and the store's registration (no server needed).</summary>
public sealed class MongoChatHistorySchemaTests
{
    [Fact]
    public void Messages_HaveAUniqueSessionSequenceIndex_AndATtlIndex()
    {
        var indexes = MongoChatHistorySchema.MessageIndexes();

        var unique = indexes.Single(i => i.Options.Name == "session_seq");
        Assert.Equal(BsonDocument.Parse("{ session: 1, seq: 1 }"), DriverRendering.Render(unique.Keys));
        Assert.True(unique.Options.Unique);
        var ttl = indexes.Single(i => i.Options.Name == "ttl_index");
        Assert.Equal(BsonDocument.Parse("{ expiresAt: 1 }"), DriverRendering.Render(ttl.Keys));
        Assert.Equal(TimeSpan.Zero, ttl.Options.ExpireAfter);
    }

    [Fact]
    public void Sessions_AreListedByOwnerAndTenant_AndExpireByTtl()
    {
        var indexes = MongoChatHistorySchema.SessionIndexes();

        Assert.Equal(BsonDocument.Parse("{ owner: 1, tenant: 1, updatedAt: -1 }"), DriverRendering.Render(indexes[0].Keys));
        Assert.Equal(TimeSpan.Zero, indexes.Single(i => i.Options.Name == "ttl_index").Options.ExpireAfter);
    }

    [Fact]
    public void Registration_ResolvesTheStoreAsTheAbstraction()
    {
        var services = new ServiceCollection();
        services.AddMongoChatHistoryStore("mongodb://localhost:27017", "chat", o => o.MaxMessageBytes = 1000);
        using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<MongoChatHistoryStore>(), provider.GetRequiredService<IChatHistoryStore>());
    }

    [Fact]
    public void InvalidOptionsOrNames_FailAtRegistration()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddMongoChatHistoryStore("mongodb://localhost", "chat", o => o.MaxMessageBytes = 0));
        Assert.ThrowsAny<ArgumentException>(() => new ServiceCollection().AddMongoChatHistoryStore("mongodb://localhost", "a.b"));
        using var client = new MongoClient("mongodb://localhost:27017");
        Assert.ThrowsAny<ArgumentException>(() => new MongoChatHistoryStore(client.GetDatabase("chat"), collectionPrefix: "$cmd"));
    }
}
