using System.Security.Cryptography;
using System.Text;
using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Postgres.Tests.Sessions;

public sealed class PostgresChatHistoryEncryptionTests
{
    private const string Secret = "the launch code is 0451-TANGO";

    [PostgresTheory]
    [InlineData(1)]
    [InlineData(100)]
    public async Task Append_WithAProtector_StoresNoPlaintextAndReadsBack(int batchSize)
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var store = db.CreateStore(new ChatHistoryStoreOptions { ContentProtector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32)) });
        var session = await store.CreateAsync(new() { OwnerId = "owner" });
        var messages = Enumerable.Range(0, batchSize).Select(i => new ChatMessage(ChatRole.User, $"{Secret} #{i}")).ToList();

        await store.AppendAsync(session.Id, messages);

        Assert.Equal(Enumerable.Range(0, batchSize).Select(i => $"{Secret} #{i}"), (await store.GetAsync(session.Id))!.Messages.Select(m => m.Text));
        Assert.Equal((long)batchSize, await db.ScalarAsync<long>(
            $"SELECT count(*) FROM {db.Messages} WHERE session_id = @id AND message IS NULL AND message_protected IS NOT NULL", ("id", session.Id)));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            $"SELECT count(*) FROM {db.Messages} WHERE position(@plain IN message_protected) > 0 OR position(@role IN message_protected) > 0",
            ("plain", Encoding.UTF8.GetBytes("launch code")),
            ("role", Encoding.UTF8.GetBytes("\"role\""))));
    }

    [PostgresFact]
    public async Task Get_EncryptedMessageWithoutTheProtector_ThrowsNamingItsSequence()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var clear = db.CreateStore();
        var session = await clear.CreateAsync(new() { OwnerId = "owner" });
        await clear.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, "written in clear")]);
        await using var writer = db.CreateStore(new ChatHistoryStoreOptions { ContentProtector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32)) });
        await writer.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, Secret)]);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => clear.GetAsync(session.Id));

        Assert.Contains("Message 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ContentProtector", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
        Assert.Equal(["written in clear", Secret], (await writer.GetAsync(session.Id))!.Messages.Select(m => m.Text));
    }

    [PostgresFact]
    public async Task Get_WithAnotherKey_FailsAuthentication()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var writer = db.CreateStore(new ChatHistoryStoreOptions { ContentProtector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32)) });
        var session = await writer.CreateAsync(new() { OwnerId = "owner" });
        await writer.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, Secret)]);
        await using var reader = db.CreateStore(new ChatHistoryStoreOptions { ContentProtector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32)) });

        await Assert.ThrowsAsync<CryptographicException>(() => reader.GetAsync(session.Id));
        Assert.Equal(Secret, Assert.Single((await writer.GetAsync(session.Id))!.Messages).Text);
    }

    [PostgresFact]
    public async Task Protector_AddedToAStoreWithClearHistory_ReadsOldAndNewMessages()
    {
        await using var db = await ChatTestDatabase.CreateAsync();
        await using var clear = db.CreateStore();
        var session = await clear.CreateAsync(new() { OwnerId = "owner" });
        await clear.AppendAsync(session.Id, [new ChatMessage(ChatRole.User, "written in clear")]);
        await using var protectedStore = db.CreateStore(new ChatHistoryStoreOptions { ContentProtector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32)) });

        await protectedStore.AppendAsync(session.Id, [new ChatMessage(ChatRole.Assistant, "written encrypted")]);

        Assert.Equal(["written in clear", "written encrypted"], (await protectedStore.GetAsync(session.Id))!.Messages.Select(m => m.Text));
    }
}
