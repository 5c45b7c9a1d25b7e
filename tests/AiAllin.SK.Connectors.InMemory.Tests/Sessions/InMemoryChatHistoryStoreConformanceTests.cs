using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.InMemory.Sessions;
using AiAllin.SK.Testing.Sessions;

namespace AiAllin.SK.Connectors.InMemory.Tests.Sessions;

public sealed class InMemoryChatHistoryStoreConformanceTests : ChatHistoryStoreConformance
{
    protected override Task<IChatHistoryStore> CreateStoreAsync(ChatHistoryStoreOptions options) =>
        Task.FromResult<IChatHistoryStore>(new InMemoryChatHistoryStore(options));

    protected override Task CorruptStoredMessageAsync(IChatHistoryStore store, string sessionId, long sequence)
    {
        var inMemory = (InMemoryChatHistoryStore)store;
        var payload = inMemory.GetStoredMessage(sessionId, sequence).ToArray();
        payload[^1] ^= 0x01;
        inMemory.SetStoredMessage(sessionId, sequence, payload);
        return Task.CompletedTask;
    }

    protected override Task SwapStoredMessagesAsync(IChatHistoryStore store, string sessionId, long first, long second)
    {
        var inMemory = (InMemoryChatHistoryStore)store;
        var a = inMemory.GetStoredMessage(sessionId, first);
        var b = inMemory.GetStoredMessage(sessionId, second);
        inMemory.SetStoredMessage(sessionId, first, b);
        inMemory.SetStoredMessage(sessionId, second, a);
        return Task.CompletedTask;
    }
}
