using System.Security.Cryptography;
using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.InMemory.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.InMemory.Tests.Sessions;

public sealed class InMemoryChatHistoryStoreTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Session_ExpiresExactlyAtItsExpiryTime()
    {
        var clock = new ManualTimeProvider(Start);
        var store = new InMemoryChatHistoryStore(new() { TimeProvider = clock });
        var info = await store.CreateAsync(new() { OwnerId = "o", TimeToLive = TimeSpan.FromMinutes(30) });
        await store.AppendAsync(info.Id, [new ChatMessage(ChatRole.User, "hi")]);

        clock.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromTicks(10));
        Assert.NotNull(await store.GetAsync(info.Id));
        clock.Advance(TimeSpan.FromTicks(10));

        Assert.Null(await store.GetAsync(info.Id));
        await Assert.ThrowsAsync<ChatSessionNotFoundException>(() => store.AppendAsync(info.Id, [new ChatMessage(ChatRole.User, "late")]));
        Assert.Empty(await store.ListAsync("o").ToListAsync());
        Assert.Equal(1, await store.PurgeExpiredAsync());
        Assert.Equal(0, await store.PurgeExpiredAsync());
    }

    [Fact]
    public async Task Timestamps_ComeFromTheClockTruncatedToMicroseconds()
    {
        var clock = new ManualTimeProvider(Start.AddTicks(1234567));
        var store = new InMemoryChatHistoryStore(new() { TimeProvider = clock });

        var info = await store.CreateAsync(new() { OwnerId = "o" });
        clock.Advance(TimeSpan.FromSeconds(5));
        await store.AppendAsync(info.Id, [new ChatMessage(ChatRole.User, "hi")]);

        var read = (await store.GetAsync(info.Id))!.Info;
        Assert.Equal(Start.AddTicks(1234560), read.CreatedAt);
        Assert.Equal(Start.AddTicks(1234560).AddSeconds(5), read.UpdatedAt);
    }

    [Fact]
    public async Task Protected_StoredBytesDoNotContainThePlaintext()
    {
        var store = new InMemoryChatHistoryStore(new() { ContentProtector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32)) });
        var info = await store.CreateAsync(new() { OwnerId = "o" });

        await store.AppendAsync(info.Id, [new ChatMessage(ChatRole.User, "my card number")]);

        Assert.Equal(-1, store.GetStoredMessage(info.Id, 1).AsSpan().IndexOf("card number"u8));
        Assert.Equal("my card number", (await store.GetAsync(info.Id))!.Messages[0].Text);
    }

    [Fact]
    public void Constructor_NonPositiveMessageLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryChatHistoryStore(new() { MaxMessageBytes = 0 }));
    }

    [Fact]
    public void AddInMemoryChatHistoryStore_RegistersOneSingletonUnderBothTypes()
    {
        var kernel = Kernel.CreateBuilder().AddAiAllinInMemoryVectorStore().AddInMemoryChatHistoryStore().Build();

        var store = kernel.GetRequiredService<IChatHistoryStore>();

        Assert.Same(store, kernel.GetRequiredService<InMemoryChatHistoryStore>());
        Assert.Same(store, kernel.Services.GetRequiredService<IChatHistoryStore>());
        Assert.NotNull(kernel.GetRequiredService<VectorStore>());
    }

    [Fact]
    public async Task AddInMemoryChatHistoryStore_UsesTheContainersClockAndTheConfiguredOptions()
    {
        var clock = new ManualTimeProvider(Start);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddInMemoryChatHistoryStore(o => o.MaxMessageBytes = 500);
        using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IChatHistoryStore>();

        var info = await store.CreateAsync(new() { OwnerId = "o", TimeToLive = TimeSpan.FromHours(1) });

        Assert.Equal(Start, info.CreatedAt);
        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(info.Id, [new ChatMessage(ChatRole.User, new string('x', 600))]));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await store.GetAsync(info.Id));
    }

    [Fact]
    public void AddInMemoryChatHistoryStore_InvalidOptions_FailAtRegistration()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddInMemoryChatHistoryStore(o => o.MaxMessageBytes = -1));

        Assert.Equal("options.MaxMessageBytes", ex.ParamName);
    }
}
