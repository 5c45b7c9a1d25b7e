using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Testing.Sessions;

namespace AiAllin.SK.Connectors.Postgres.Tests.Sessions;

/// <summary>The shared chat-history conformance suite, run against PostgreSQL.</summary>
public sealed class PostgresChatHistoryStoreConformanceTests(ChatHistorySchemaFixture fixture)
    : ChatHistoryStoreConformance, IClassFixture<ChatHistorySchemaFixture>
{
    protected override Task<IChatHistoryStore> CreateStoreAsync(ChatHistoryStoreOptions options) =>
        Task.FromResult<IChatHistoryStore>(fixture.Database.CreateStore(options));

    protected override async Task CorruptStoredMessageAsync(IChatHistoryStore store, string sessionId, long sequence)
    {
        var changed = await fixture.Database.ExecuteAsync(
            $"UPDATE {fixture.Database.Messages} SET message_protected = set_byte(message_protected, 20, get_byte(message_protected, 20) # 1) WHERE session_id = @id AND seq = @seq",
            ("id", sessionId),
            ("seq", sequence));
        Assert.Equal(1, changed);
    }

    protected override async Task SwapStoredMessagesAsync(IChatHistoryStore store, string sessionId, long first, long second)
    {
        var m = fixture.Database.Messages;
        var changed = await fixture.Database.ExecuteAsync(
            $"""
            UPDATE {m} AS target SET message_protected = source.message_protected
            FROM {m} AS source
            WHERE target.session_id = @id AND source.session_id = @id
              AND ((target.seq = @first AND source.seq = @second) OR (target.seq = @second AND source.seq = @first))
            """,
            ("id", sessionId),
            ("first", first),
            ("second", second));
        Assert.Equal(2, changed);
    }
}
