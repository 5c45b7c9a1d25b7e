using AiAllin.SK.Testing.Conditional;
using System.Security.Cryptography;
using System.Text.Json;
using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;
using Xunit;

namespace AiAllin.SK.Testing.Sessions;

/// <summary>
/// The behaviour every <see cref="IChatHistoryStore"/> must have, as written in its documentation. A store's test
/// project subclasses this once. Tests use fresh owner and session ids, so they may share one store and one database.
/// Expiry is tested with times an hour away from now, so a store may use its database's clock.
/// </summary>
public abstract class ChatHistoryStoreConformance
{
    /// <summary>Gets how many writers the concurrency tests run at once.</summary>
    protected virtual int ConcurrentWriters => 16;

    /// <summary>Gets how many single-message appends each concurrent writer makes.</summary>
    protected virtual int AppendsPerWriter => 200;

    /// <summary>Creates a store with the given options (message size limit, content protector).</summary>
    /// <param name="options">The options to apply.</param>
    protected abstract Task<IChatHistoryStore> CreateStoreAsync(ChatHistoryStoreOptions options);

    /// <summary>Changes one byte of the stored (protected) content of a message, behind the store's back.</summary>
    /// <param name="store">A store created by <see cref="CreateStoreAsync(ChatHistoryStoreOptions)"/>.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="sequence">The message's sequence.</param>
    protected abstract Task CorruptStoredMessageAsync(IChatHistoryStore store, string sessionId, long sequence);

    /// <summary>Swaps the stored content of two messages of a session, behind the store's back.</summary>
    /// <param name="store">A store created by <see cref="CreateStoreAsync(ChatHistoryStoreOptions)"/>.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="first">One message's sequence.</param>
    /// <param name="second">The other message's sequence.</param>
    protected abstract Task SwapStoredMessagesAsync(IChatHistoryStore store, string sessionId, long first, long second);

    private Task<IChatHistoryStore> CreateStoreAsync() => CreateStoreAsync(new ChatHistoryStoreOptions());

    // ---- create ----

    [ConformanceFact]
    public async Task Create_WithoutId_GeneratesIdAtVersionZero()
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();

        var info = await store.CreateAsync(new() { OwnerId = owner });

        Assert.Matches("^[0-9a-f]{32}$", info.Id);
        Assert.Equal(owner, info.OwnerId);
        Assert.Equal(0, info.Version);
        Assert.Equal(info.CreatedAt, info.UpdatedAt);
        Assert.Null(info.ExpiresAt);
        Assert.Empty(info.Metadata);
        var read = await store.GetAsync(info.Id);
        Assert.NotNull(read);
        Assert.Empty(read.Messages);
        Assert.Equal(1, read.FirstSequence);
    }

    [ConformanceFact]
    public async Task Create_WithEverything_ReadsBackTheSameInfo()
    {
        var store = await CreateStoreAsync();
        var id = NewId();
        var expiresAt = DateTimeOffset.UtcNow.AddHours(1);
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);

        var created = await store.CreateAsync(new()
        {
            Id = id,
            OwnerId = NewOwner(),
            TenantId = "tenant-ä",
            Title = "Trip to Paris ✈",
            Metadata = new Dictionary<string, string> { ["channel"] = "web", ["lang"] = "fr" },
            ExpiresAt = expiresAt,
        });

        var read = (await store.GetAsync(id))!.Info;
        AssertSameInfo(created, read);
        Assert.Equal(id, read.Id);
        Assert.Equal("tenant-ä", read.TenantId);
        Assert.Equal("Trip to Paris ✈", read.Title);
        Assert.Equal(new Dictionary<string, string> { ["channel"] = "web", ["lang"] = "fr" }, read.Metadata.ToDictionary());
        Assert.Equal(Microseconds(expiresAt), read.ExpiresAt);
        Assert.InRange(read.CreatedAt, before, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal(0, read.CreatedAt.Ticks % 10);
    }

    [ConformanceFact]
    public async Task Create_WithTimeToLive_ExpiresThatLongAfterCreation()
    {
        var store = await CreateStoreAsync();

        var info = await store.CreateAsync(new() { OwnerId = NewOwner(), TimeToLive = TimeSpan.FromHours(2) });

        Assert.NotNull(info.ExpiresAt);
        Assert.InRange(info.ExpiresAt.Value - info.CreatedAt, TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        Assert.NotNull(await store.GetAsync(info.Id));
    }

    [ConformanceFact]
    public async Task Create_DuplicateId_ThrowsAndKeepsTheExistingSession()
    {
        var store = await CreateStoreAsync();
        var id = NewId();
        var owner = NewOwner();
        await store.CreateAsync(new() { Id = id, OwnerId = owner, Title = "first" });
        await store.AppendAsync(id, [User("hello")]);

        var ex = await Assert.ThrowsAsync<ChatSessionAlreadyExistsException>(() => store.CreateAsync(new() { Id = id, OwnerId = NewOwner(), Title = "second" }));

        Assert.Equal(id, ex.SessionId);
        Assert.Contains(id, ex.Message, StringComparison.Ordinal);
        var read = await store.GetAsync(id);
        Assert.Equal("first", read!.Info.Title);
        Assert.Equal(owner, read.Info.OwnerId);
        Assert.Equal("hello", Assert.Single(read.Messages).Text);
    }

    [ConformanceFact]
    public async Task Create_IdOfAnExpiredSession_ReplacesItWithAnEmptySession()
    {
        var store = await CreateStoreAsync();
        var id = NewId();
        await store.CreateAsync(new() { Id = id, OwnerId = NewOwner(), Title = "old" });
        await store.AppendAsync(id, [User("old message")]);
        Assert.True(await store.SetExpiryAsync(id, DateTimeOffset.UtcNow.AddHours(-1)));

        var created = await store.CreateAsync(new() { Id = id, OwnerId = NewOwner(), Title = "new" });

        Assert.Equal(0, created.Version);
        var read = await store.GetAsync(id);
        Assert.Equal("new", read!.Info.Title);
        Assert.Empty(read.Messages);
        Assert.Equal(1, await store.AppendAsync(id, [User("new message")], expectedVersion: 0));
    }

    [ConformanceFact]
    public async Task Create_WithExpiryInThePast_CreatesASessionThatIsAlreadyGone()
    {
        var store = await CreateStoreAsync();

        var info = await store.CreateAsync(new() { OwnerId = NewOwner(), ExpiresAt = DateTimeOffset.UtcNow.AddHours(-1) });

        Assert.Null(await store.GetAsync(info.Id));
    }

    // ---- append and read ----

    [ConformanceFact]
    public async Task Get_UnknownSession_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync(NewId()));
    }

    [ConformanceFact]
    public async Task Append_EveryContentKind_RoundTripsLosslessly()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        var messages = ChatMessageSamples.EveryContentKind();

        await store.AppendAsync(info.Id, messages);

        var read = (await store.GetAsync(info.Id))!.Messages;
        ChatMessageSamples.AssertEqual(messages, read);
    }

    [ConformanceFact]
    public async Task Append_ReturnsTheMessageCountAsVersion()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });

        Assert.Equal(2, await store.AppendAsync(info.Id, [User("1"), Assistant("2")]));
        Assert.Equal(3, await store.AppendAsync(info.Id, [User("3")]));

        var read = await store.GetAsync(info.Id);
        Assert.Equal(3, read!.Info.Version);
        Assert.Equal(["1", "2", "3"], read.Messages.Select(m => m.Text));
        Assert.Equal(1, read.FirstSequence);
    }

    [ConformanceFact]
    public async Task Append_EmptyBatch_WritesNothingAndReturnsTheVersion()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        await store.AppendAsync(info.Id, [User("1")]);
        var before = (await store.GetAsync(info.Id))!.Info;

        Assert.Equal(1, await store.AppendAsync(info.Id, [], expectedVersion: 1));

        AssertSameInfo(before, (await store.GetAsync(info.Id))!.Info);
        await Assert.ThrowsAsync<ChatHistoryConcurrencyException>(() => store.AppendAsync(info.Id, [], expectedVersion: 0));
        await Assert.ThrowsAsync<ChatSessionNotFoundException>(() => store.AppendAsync(NewId(), []));
    }

    [ConformanceFact]
    public async Task Append_MovesUpdatedAtButNotCreatedAt()
    {
        var store = await CreateStoreAsync();
        var created = await store.CreateAsync(new() { OwnerId = NewOwner() });

        await store.AppendAsync(created.Id, [User("hi")]);

        var read = (await store.GetAsync(created.Id))!.Info;
        Assert.Equal(created.CreatedAt, read.CreatedAt);
        Assert.True(read.UpdatedAt >= created.UpdatedAt);
    }

    [ConformanceFact]
    public async Task Append_WithTheCurrentExpectedVersion_Succeeds()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });

        Assert.Equal(1, await store.AppendAsync(info.Id, [User("1")], expectedVersion: 0));
        Assert.Equal(3, await store.AppendAsync(info.Id, [Assistant("2"), User("3")], expectedVersion: 1));
    }

    [ConformanceFact]
    public async Task Append_WithAStaleExpectedVersion_ThrowsWithBothVersionsAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        await store.AppendAsync(info.Id, [User("1"), Assistant("2")]);

        var ex = await Assert.ThrowsAsync<ChatHistoryConcurrencyException>(() => store.AppendAsync(info.Id, [User("late")], expectedVersion: 1));

        Assert.Equal(info.Id, ex.SessionId);
        Assert.Equal(1, ex.ExpectedVersion);
        Assert.Equal(2, ex.ActualVersion);
        var read = await store.GetAsync(info.Id);
        Assert.Equal(["1", "2"], read!.Messages.Select(m => m.Text));
        Assert.Equal(2, read.Info.Version);
    }

    [ConformanceFact]
    public async Task Append_WithAnExpectedVersionAheadOfTheSession_Throws()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });

        var ex = await Assert.ThrowsAsync<ChatHistoryConcurrencyException>(() => store.AppendAsync(info.Id, [User("x")], expectedVersion: 5));

        Assert.Equal(0, ex.ActualVersion);
        Assert.Empty((await store.GetAsync(info.Id))!.Messages);
    }

    [ConformanceFact]
    public async Task Append_UnknownSession_ThrowsNotFound()
    {
        var store = await CreateStoreAsync();
        var id = NewId();

        var ex = await Assert.ThrowsAsync<ChatSessionNotFoundException>(() => store.AppendAsync(id, [User("x")]));

        Assert.Equal(id, ex.SessionId);
        Assert.Null(await store.GetAsync(id));
    }

    [ConformanceFact]
    public async Task Append_BatchWithAnOversizedMessage_ThrowsAndWritesNone()
    {
        var store = await CreateStoreAsync(new ChatHistoryStoreOptions { MaxMessageBytes = 4096 });
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        await store.AppendAsync(info.Id, [User("kept")]);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(info.Id, [User("fine"), User(new string('x', 5000))]));

        Assert.Equal("messages", ex.ParamName);
        Assert.Contains("4096", ex.Message, StringComparison.Ordinal);
        var read = await store.GetAsync(info.Id);
        Assert.Equal(["kept"], read!.Messages.Select(m => m.Text));
        Assert.Equal(1, read.Info.Version);
    }

    [ConformanceFact]
    public async Task Append_BatchWithANullMessage_ThrowsAndWritesNone()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendAsync(info.Id, [User("fine"), null!]));

        Assert.Equal("messages", ex.ParamName);
        Assert.Empty((await store.GetAsync(info.Id))!.Messages);
    }

    [ConformanceFact]
    public async Task Append_MessageWithANulCharacter_ThrowsAndWritesNone()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(info.Id, [User("a\0b")]));

        Assert.Equal("messages", ex.ParamName);
        Assert.Empty((await store.GetAsync(info.Id))!.Messages);
        Assert.Equal(1, await store.AppendAsync(info.Id, [User("a\\u0000b")]));
    }

    [ConformanceFact]
    public async Task Append_MessageWithANullContentItem_ThrowsNamingTheIndexAndWritesNone()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        var broken = new ChatMessage(ChatRole.Assistant, [new TextContent("before"), null!]);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(info.Id, [User("fine"), broken]));

        Assert.Equal("messages", ex.ParamName);
        Assert.Contains("Message 1 ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Contents[1]", ex.Message, StringComparison.Ordinal);
        Assert.Empty((await store.GetAsync(info.Id))!.Messages);
    }

    public static TheoryData<string> LoneSurrogateMessages => new() { "text", "arguments", "result", "property", "author" };

    [ConformanceTheory]
    [MemberData(nameof(LoneSurrogateMessages))]
    public async Task Append_LoneSurrogateAnywhereInAMessage_ThrowsNamingTheIndexAndWritesNone(string where)
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        await store.AppendAsync(info.Id, [User("kept")]);
        const string Lone = "half \uD83D of a pair";
        var message = where switch
        {
            "text" => User(Lone),
            "arguments" => new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "f", new Dictionary<string, object?> { ["q"] = Lone })]),
            "result" => new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", Lone)]),
            "property" => new ChatMessage(ChatRole.User, "x") { AdditionalProperties = new() { ["note"] = "\uDE00" } },
            _ => new ChatMessage(ChatRole.User, "x") { AuthorName = "a\uDBFF" },
        };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(info.Id, [User("fine"), message]));

        Assert.Equal("messages", ex.ParamName);
        Assert.Contains("Message 1 ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("surrogate", ex.Message, StringComparison.Ordinal);
        var read = await store.GetAsync(info.Id);
        Assert.Equal(["kept"], read!.Messages.Select(m => m.Text));
        Assert.Equal(1, read.Info.Version);
    }

    [ConformanceFact]
    public async Task Append_PairedSurrogatesReplacementCharactersAndEscapeLookalikes_RoundTripExactly()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        string[] texts = ["family 👨‍👩‍👧 e\u0301", "a real \uFFFD replacement character", "the six characters \\uFFFD and \\\\uD800", "\uD83D\uDE00"];

        await store.AppendAsync(info.Id, texts.Select(User).ToList());

        Assert.Equal(texts, (await store.GetAsync(info.Id))!.Messages.Select(m => m.Text));
    }

    [ConformanceFact]
    public async Task Append_NaNInAProperty_ThrowsNamingTheIndexAndWritesNone()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        var message = new ChatMessage(ChatRole.User, "x") { AdditionalProperties = new() { ["score"] = double.NaN } };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(info.Id, [User("a"), User("b"), message]));

        Assert.Equal("messages", ex.ParamName);
        Assert.Contains("Message 2 ", ex.Message, StringComparison.Ordinal);
        Assert.Empty((await store.GetAsync(info.Id))!.Messages);
    }

    [ConformanceFact]
    public async Task Append_NegativeExpectedVersion_Throws()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AppendAsync(info.Id, [User("x")], expectedVersion: -1));

        Assert.Empty((await store.GetAsync(info.Id))!.Messages);
    }

    [ConformanceFact]
    public async Task ReadAndWrite_AreIsolatedFromTheCallersObjects()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        var message = User("original");

        await store.AppendAsync(info.Id, [message]);
        message.Contents.Add(new TextContent(" changed"));
        var first = await store.GetAsync(info.Id);
        first!.Messages[0].Contents.Clear();

        Assert.Equal("original", (await store.GetAsync(info.Id))!.Messages[0].Text);
    }

    [ConformanceFact]
    public async Task Get_MaxMessages_ReturnsTheMostRecentInOrder()
    {
        var store = await CreateStoreAsync();
        var info = await SessionWithMessagesAsync(store, 10);

        var read = await store.GetAsync(info.Id, new() { MaxMessages = 3 });

        Assert.Equal(["8", "9", "10"], read!.Messages.Select(m => m.Text));
        Assert.Equal(8, read.FirstSequence);
        Assert.Equal(10, read.Info.Version);
    }

    [ConformanceFact]
    public async Task Get_AfterVersion_ReturnsOnlyLaterMessages()
    {
        var store = await CreateStoreAsync();
        var info = await SessionWithMessagesAsync(store, 10);

        var read = await store.GetAsync(info.Id, new() { AfterVersion = 7 });

        Assert.Equal(["8", "9", "10"], read!.Messages.Select(m => m.Text));
        Assert.Equal(8, read.FirstSequence);
    }

    [ConformanceFact]
    public async Task Get_AfterVersionAndMaxMessages_ReturnsTheMostRecentOfTheLaterMessages()
    {
        var store = await CreateStoreAsync();
        var info = await SessionWithMessagesAsync(store, 10);

        var read = await store.GetAsync(info.Id, new() { AfterVersion = 2, MaxMessages = 2 });

        Assert.Equal(["9", "10"], read!.Messages.Select(m => m.Text));
        Assert.Equal(9, read.FirstSequence);
    }

    [ConformanceTheory]
    [InlineData(10L, null)]
    [InlineData(null, 0)]
    [InlineData(25L, 4)]
    public async Task Get_SelectingNoMessages_ReturnsTheInfoOnly(long? afterVersion, int? maxMessages)
    {
        var store = await CreateStoreAsync();
        var info = await SessionWithMessagesAsync(store, 10);

        var read = await store.GetAsync(info.Id, new() { AfterVersion = afterVersion, MaxMessages = maxMessages });

        Assert.Empty(read!.Messages);
        Assert.Equal(11, read.FirstSequence);
        Assert.Equal(10, read.Info.Version);
    }

    /// <summary>Whether content is protected, and how many messages each append carries (one, or a batch large enough for a bulk path).</summary>
    public static TheoryData<bool, int> EarlierSystemMessageCases => new() { { false, 1 }, { false, 100 }, { true, 1 }, { true, 100 } };

    [ConformanceTheory]
    [MemberData(nameof(EarlierSystemMessageCases))]
    public async Task Get_IncludeEarlierSystemMessages_ReturnsTheSystemMessagesBeforeTheWindow(bool protectedContent, int batchSize)
    {
        var store = await CreateStoreAsync(protectedContent
            ? new ChatHistoryStoreOptions { ContentProtector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32)) }
            : new ChatHistoryStoreOptions());
        Assert.True(store.SupportsEarlierSystemMessages);
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        var developer = new ChatRole("developer");
        var messages = Enumerable.Range(1, 100).Select(i => i switch
        {
            1 or 40 or 97 => new ChatMessage(ChatRole.System, $"{i}"),
            60 => new ChatMessage(developer, $"{i}"),
            _ => i % 2 == 1 ? User($"{i}") : Assistant($"{i}"),
        }).ToList();
        foreach (var chunk in messages.Chunk(batchSize))
        {
            await store.AppendAsync(info.Id, chunk);
        }

        var read = await store.GetAsync(info.Id, new() { MaxMessages = 10, IncludeEarlierSystemMessages = true });

        Assert.Equal(["1", "40", "60"], read!.EarlierSystemMessages.Select(m => m.Text));
        Assert.Equal([ChatRole.System, ChatRole.System, developer], read.EarlierSystemMessages.Select(m => m.Role));
        Assert.Equal(Enumerable.Range(91, 10).Select(i => $"{i}"), read.Messages.Select(m => m.Text));
        Assert.Equal(91, read.FirstSequence);
        Assert.Equal(100, read.Info.Version);

        var afterFirst = await store.GetAsync(info.Id, new() { AfterVersion = 1, MaxMessages = 10, IncludeEarlierSystemMessages = true });
        Assert.Equal(["40", "60"], afterFirst!.EarlierSystemMessages.Select(m => m.Text));

        var noWindow = await store.GetAsync(info.Id, new() { MaxMessages = 0, IncludeEarlierSystemMessages = true });
        Assert.Equal(["1", "40", "60", "97"], noWindow!.EarlierSystemMessages.Select(m => m.Text));
        Assert.Empty(noWindow.Messages);

        // Nothing is left out, or the caller did not ask: no earlier messages.
        Assert.Empty((await store.GetAsync(info.Id, new() { MaxMessages = 100, IncludeEarlierSystemMessages = true }))!.EarlierSystemMessages);
        Assert.Empty((await store.GetAsync(info.Id, new() { IncludeEarlierSystemMessages = true }))!.EarlierSystemMessages);
        Assert.Empty((await store.GetAsync(info.Id, new() { MaxMessages = 10 }))!.EarlierSystemMessages);
    }

    [ConformanceFact]
    public async Task Get_IncludeEarlierSystemMessages_NeverRepeatsAWindowMessage()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        await store.AppendAsync(info.Id, [new ChatMessage(ChatRole.System, "rules"), User("1"), Assistant("2")]);

        var read = await store.GetAsync(info.Id, new() { MaxMessages = 1, IncludeEarlierSystemMessages = true });
        await store.AppendAsync(info.Id, [new ChatMessage(ChatRole.System, "later")], read!.Info.Version);
        var next = await store.GetAsync(info.Id, new() { MaxMessages = 1, IncludeEarlierSystemMessages = true });

        Assert.Equal(["rules"], read.EarlierSystemMessages.Select(m => m.Text));
        Assert.Equal(["2"], read.Messages.Select(m => m.Text));
        Assert.Equal(["rules"], next!.EarlierSystemMessages.Select(m => m.Text));
        Assert.Equal(["later"], next.Messages.Select(m => m.Text));
    }

    [ConformanceFact]
    public async Task Get_NegativeReadOptions_Throw()
    {
        var store = await CreateStoreAsync();
        var info = await SessionWithMessagesAsync(store, 1);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetAsync(info.Id, new() { MaxMessages = -1 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetAsync(info.Id, new() { AfterVersion = -1 }));
    }

    // ---- ids and options ----

    public static TheoryData<string> InvalidIds => new() { "", "   ", new string('a', 129), "a\nb", "a\0b", "tab\there" };

    [ConformanceTheory]
    [MemberData(nameof(InvalidIds))]
    public async Task EveryOperation_WithAnInvalidSessionId_ThrowsNamingIt(string id)
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();

        Assert.Equal("options.Id", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = owner }))).ParamName);
        Assert.Equal("sessionId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetAsync(id))).ParamName);
        Assert.Equal("sessionId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendAsync(id, [User("x")]))).ParamName);
        Assert.Equal("sessionId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.DeleteAsync(id))).ParamName);
        Assert.Equal("sessionId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SetExpiryAsync(id, null))).ParamName);
        Assert.Empty(await store.ListAsync(owner).ToListAsync());
    }

    // Lone surrogates are built inside the test: as theory data they would travel through the test runner's own
    // (UTF-8) serialization and arrive already replaced.
    private static readonly string[] LoneSurrogateIds = ["lone\uD800", "\uDC00x", "\uDE00\uD83D"];

    [ConformanceFact]
    public async Task EveryOperation_WithALoneSurrogateInAnId_ThrowsNamingItAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();
        var live = await store.CreateAsync(new() { OwnerId = owner });

        foreach (var bad in LoneSurrogateIds)
        {
            var id = NewId() + bad;
            Assert.Equal("options.Id", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = owner }))).ParamName);
            Assert.Equal("options.OwnerId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { OwnerId = owner + bad }))).ParamName);
            Assert.Equal("sessionId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetAsync(id))).ParamName);
            Assert.Equal("sessionId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendAsync(id, [User("x")]))).ParamName);
            Assert.Equal("sessionId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.DeleteAsync(id))).ParamName);
            Assert.Equal("sessionId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SetExpiryAsync(id, null))).ParamName);
            Assert.Equal("ownerId", (await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.ListAsync(owner + bad).ToListAsync())).ParamName);
        }

        Assert.Equal([live.Id], (await store.ListAsync(owner).ToListAsync()).Select(s => s.Id));
    }

    [ConformanceFact]
    public async Task SessionId_OfExactlyTheLimit_IsAccepted()
    {
        var store = await CreateStoreAsync();
        var id = Guid.NewGuid().ToString("N") + new string('z', ChatHistoryValidator.MaxSessionIdLength - 32);

        await store.CreateAsync(new() { Id = id, OwnerId = NewOwner() });

        Assert.Equal(id, (await store.GetAsync(id))!.Info.Id);
    }

    public static TheoryData<string> InvalidOwnerIds => new() { "", "   ", new string('a', 257), "a\nb", "a\0b" };

    [ConformanceTheory]
    [MemberData(nameof(InvalidOwnerIds))]
    public async Task Create_WithAnInvalidOwnerId_ThrowsNamingIt(string ownerId)
    {
        var store = await CreateStoreAsync();
        var id = NewId();

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = ownerId }));

        Assert.Equal("options.OwnerId", ex.ParamName);
        Assert.Null(await store.GetAsync(id));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.ListAsync(ownerId).ToListAsync());
    }

    [ConformanceFact]
    public async Task Create_WithInvalidOptions_ThrowsNamingTheFieldAndCreatesNothing()
    {
        var store = await CreateStoreAsync();
        var id = NewId();
        var owner = NewOwner();

        Assert.Equal("options.TimeToLive", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = owner, ExpiresAt = DateTimeOffset.UtcNow.AddHours(1), TimeToLive = TimeSpan.FromHours(1) }))).ParamName);
        Assert.Equal("options.TimeToLive", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = owner, TimeToLive = TimeSpan.Zero }))).ParamName);
        Assert.Equal("options.TenantId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = owner, TenantId = " " }))).ParamName);
        Assert.Equal("options.Title", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = owner, Title = new string('t', 1025) }))).ParamName);
        Assert.Equal("options.Metadata", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = owner, Metadata = new Dictionary<string, string> { [""] = "v" } }))).ParamName);
        Assert.Equal("options.Metadata", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = owner, Metadata = new Dictionary<string, string> { ["k"] = null! } }))).ParamName);
        Assert.Equal("options.Title", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = owner, Title = "t\uD800" }))).ParamName);
        Assert.Equal("options.Metadata", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = owner, Metadata = new Dictionary<string, string> { ["k"] = "\uDC00" } }))).ParamName);
        Assert.Equal("options.Metadata", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = owner, Metadata = new Dictionary<string, string> { ["k\uD800"] = "v" } }))).ParamName);
        Assert.Equal("options.TenantId", (await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(new() { Id = id, OwnerId = owner, TenantId = "\uD800" }))).ParamName);
        Assert.Null(await store.GetAsync(id));
        Assert.Empty(await store.ListAsync(owner).ToListAsync());
    }

    // ---- concurrency ----

    [ConformanceFact]
    public async Task ConcurrentAppends_WithoutExpectedVersion_KeepEveryMessageOnceAndInOrderPerWriter()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        var writers = ConcurrentWriters;
        var appends = AppendsPerWriter;
        using var start = new SemaphoreSlim(0);

        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await start.WaitAsync();
            for (var i = 0; i < appends; i++)
            {
                await store.AppendAsync(info.Id, [User($"{w}:{i}")]);
            }
        })).ToArray();
        start.Release(writers);
        await Task.WhenAll(tasks);

        var read = await store.GetAsync(info.Id);
        Assert.Equal(writers * appends, read!.Info.Version);
        Assert.Equal(writers * appends, read.Messages.Count);
        var perWriter = read.Messages.Select(m => m.Text.Split(':')).GroupBy(p => int.Parse(p[0])).ToDictionary(g => g.Key, g => g.Select(p => int.Parse(p[1])).ToList());
        Assert.Equal(writers, perWriter.Count);
        foreach (var sequence in perWriter.Values)
        {
            Assert.Equal(Enumerable.Range(0, appends), sequence);
        }
    }

    [ConformanceFact]
    public async Task ConcurrentBatches_AreNeverInterleaved()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        const int Writers = 8, Batches = 25, BatchSize = 4;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                await store.AppendAsync(info.Id, Enumerable.Range(0, BatchSize).Select(i => User($"{w}:{b}:{i}")).ToList());
            }
        })));

        var texts = (await store.GetAsync(info.Id))!.Messages.Select(m => m.Text).ToList();
        Assert.Equal(Writers * Batches * BatchSize, texts.Count);
        for (var i = 0; i < texts.Count; i += BatchSize)
        {
            var prefix = texts[i][..texts[i].LastIndexOf(':')];
            Assert.Equal(Enumerable.Range(0, BatchSize).Select(k => $"{prefix}:{k}"), texts.Skip(i).Take(BatchSize));
        }
    }

    [ConformanceFact]
    public async Task ConcurrentAppends_AtTheSameExpectedVersion_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        await store.AppendAsync(info.Id, [User("base")]);
        var writers = ConcurrentWriters;

        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            try
            {
                await store.AppendAsync(info.Id, [Assistant($"answer {w}"), User($"follow-up {w}")], expectedVersion: 1);
                return true;
            }
            catch (ChatHistoryConcurrencyException ex)
            {
                Assert.Equal(3, ex.ActualVersion);
                return false;
            }
        })));

        Assert.Single(results, won => won);
        var read = await store.GetAsync(info.Id);
        Assert.Equal(3, read!.Info.Version);
        var winner = results.ToList().IndexOf(true);
        Assert.Equal(["base", $"answer {winner}", $"follow-up {winner}"], read.Messages.Select(m => m.Text));
    }

    [ConformanceFact]
    public async Task ConcurrentSessions_DoNotMixMessages()
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();
        var sessions = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => store.CreateAsync(new() { OwnerId = owner })));

        await Task.WhenAll(sessions.Select((s, n) => Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                await store.AppendAsync(s.Id, [User($"{n}:{i}")], expectedVersion: i);
            }
        })));

        for (var n = 0; n < sessions.Length; n++)
        {
            var read = await store.GetAsync(sessions[n].Id);
            Assert.Equal(Enumerable.Range(0, 30).Select(i => $"{n}:{i}"), read!.Messages.Select(m => m.Text));
        }
    }

    // ---- expiry, delete, purge ----

    [ConformanceFact]
    public async Task SetExpiry_InThePast_MakesTheSessionUnreadableAtOnce()
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();
        var info = await SessionWithMessagesAsync(store, 2, owner);

        Assert.True(await store.SetExpiryAsync(info.Id, DateTimeOffset.UtcNow.AddHours(-1)));

        Assert.Null(await store.GetAsync(info.Id));
        await Assert.ThrowsAsync<ChatSessionNotFoundException>(() => store.AppendAsync(info.Id, [User("late")]));
        Assert.Empty(await store.ListAsync(owner).ToListAsync());
        Assert.False(await store.SetExpiryAsync(info.Id, null));
        Assert.Null(await store.GetAsync(info.Id));
    }

    [ConformanceFact]
    public async Task SetExpiry_InTheFutureOrNone_KeepsTheSessionAndVersion()
    {
        var store = await CreateStoreAsync();
        var info = await SessionWithMessagesAsync(store, 2);
        var expiresAt = DateTimeOffset.UtcNow.AddHours(3);

        Assert.True(await store.SetExpiryAsync(info.Id, expiresAt));
        var withExpiry = (await store.GetAsync(info.Id))!.Info;
        Assert.True(await store.SetExpiryAsync(info.Id, null));
        var withoutExpiry = (await store.GetAsync(info.Id))!.Info;

        Assert.Equal(Microseconds(expiresAt), withExpiry.ExpiresAt);
        Assert.Null(withoutExpiry.ExpiresAt);
        Assert.Equal(2, withoutExpiry.Version);
        Assert.Equal(info.UpdatedAt, withoutExpiry.UpdatedAt);
    }

    [ConformanceFact]
    public async Task SetExpiry_UnknownSession_ReturnsFalse()
    {
        var store = await CreateStoreAsync();

        Assert.False(await store.SetExpiryAsync(NewId(), DateTimeOffset.UtcNow.AddHours(1)));
    }

    [ConformanceFact]
    public async Task Delete_RemovesTheSessionAndItsMessages()
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();
        var info = await SessionWithMessagesAsync(store, 3, owner);
        var other = await SessionWithMessagesAsync(store, 2, owner);

        Assert.True(await store.DeleteAsync(info.Id));

        Assert.Null(await store.GetAsync(info.Id));
        Assert.False(await store.DeleteAsync(info.Id));
        await Assert.ThrowsAsync<ChatSessionNotFoundException>(() => store.AppendAsync(info.Id, [User("x")]));
        Assert.Equal([other.Id], await store.ListAsync(owner).Select(s => s.Id).ToListAsync());
        Assert.Equal(2, (await store.GetAsync(other.Id))!.Messages.Count);
        var recreated = await store.CreateAsync(new() { Id = info.Id, OwnerId = owner });
        Assert.Empty((await store.GetAsync(recreated.Id))!.Messages);
    }

    [ConformanceFact]
    public async Task Delete_ExpiredSession_ReturnsFalse()
    {
        var store = await CreateStoreAsync();
        var info = await SessionWithMessagesAsync(store, 1);
        await store.SetExpiryAsync(info.Id, DateTimeOffset.UtcNow.AddHours(-1));

        Assert.False(await store.DeleteAsync(info.Id));
        Assert.Null(await store.GetAsync(info.Id));
    }

    [ConformanceFact]
    public async Task PurgeExpired_RemovesExpiredSessionsAndKeepsLiveOnes()
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();
        var expired = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SessionWithMessagesAsync(store, 2, owner)));
        var live = await SessionWithMessagesAsync(store, 2, owner);
        var later = await store.CreateAsync(new() { OwnerId = owner, ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) });
        foreach (var info in expired)
        {
            await store.SetExpiryAsync(info.Id, DateTimeOffset.UtcNow.AddHours(-1));
        }

        var purged = await store.PurgeExpiredAsync();

        Assert.True(purged >= expired.Length, $"purged {purged}");
        Assert.Equal(2, (await store.GetAsync(live.Id))!.Messages.Count);
        Assert.NotNull(await store.GetAsync(later.Id));
        foreach (var info in expired)
        {
            Assert.Null(await store.GetAsync(info.Id));
            Assert.False(await store.DeleteAsync(info.Id));
        }
    }

    // ---- list ----

    [ConformanceFact]
    public async Task List_ReturnsOnlyTheOwnersLiveSessionsMostRecentlyUpdatedFirst()
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();
        var prefix = NewId();
        var first = await store.CreateAsync(new() { Id = prefix + "-1", OwnerId = owner });
        var second = await store.CreateAsync(new() { Id = prefix + "-2", OwnerId = owner });
        var touched = await store.CreateAsync(new() { Id = prefix + "-0", OwnerId = owner });
        var expired = await store.CreateAsync(new() { OwnerId = owner, ExpiresAt = DateTimeOffset.UtcNow.AddHours(-1) });
        await store.CreateAsync(new() { OwnerId = NewOwner() });
        await store.AppendAsync(touched.Id, [User("latest")]);

        var listed = await store.ListAsync(owner).ToListAsync();

        Assert.Equal(3, listed.Count);
        Assert.Equal(touched.Id, listed[0].Id);
        Assert.Equal(1, listed[0].Version);
        Assert.DoesNotContain(listed, s => s.Id == expired.Id);
        Assert.Equal(new[] { first.Id, second.Id, touched.Id }.Order(StringComparer.Ordinal), listed.Select(s => s.Id).Order(StringComparer.Ordinal));
        AssertListOrder(listed);
    }

    [ConformanceFact]
    public async Task List_FiltersByTenant()
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();
        var a = await store.CreateAsync(new() { OwnerId = owner, TenantId = "a" });
        var b = await store.CreateAsync(new() { OwnerId = owner, TenantId = "b" });
        var none = await store.CreateAsync(new() { OwnerId = owner });

        Assert.Equal([a.Id], await store.ListAsync(owner, new() { TenantId = "a" }).Select(s => s.Id).ToListAsync());
        Assert.Equal([b.Id], await store.ListAsync(owner, new() { TenantId = "b" }).Select(s => s.Id).ToListAsync());
        Assert.Equal(3, await store.ListAsync(owner).CountAsync());
        Assert.Contains(none.Id, await store.ListAsync(owner).Select(s => s.Id).ToListAsync());
    }

    [ConformanceFact]
    public async Task List_PagesWithSkipAndTakeWithoutGapsOrRepeats()
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 11; i++)
        {
            ids.Add((await store.CreateAsync(new() { OwnerId = owner })).Id);
        }

        var all = await store.ListAsync(owner).ToListAsync();
        var pages = new List<ChatSessionInfo>();
        for (var skip = 0; skip < 12; skip += 4)
        {
            var page = await store.ListAsync(owner, new() { Skip = skip, Take = 4 }).ToListAsync();
            Assert.True(page.Count <= 4);
            pages.AddRange(page);
        }

        Assert.Equal(all.Select(s => s.Id), pages.Select(s => s.Id));
        Assert.True(ids.SetEquals(all.Select(s => s.Id)));
        AssertListOrder(all);
        Assert.Empty(await store.ListAsync(owner, new() { Skip = 11 }).ToListAsync());
    }

    [ConformanceFact]
    public async Task List_WithInvalidPaging_Throws()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ListAsync(NewOwner(), new() { Skip = -1 }).ToListAsync());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ListAsync(NewOwner(), new() { Take = 0 }).ToListAsync());
    }

    // ---- encryption at rest ----

    [ConformanceFact]
    public async Task Protected_EveryContentKind_RoundTrips()
    {
        var store = await CreateStoreAsync(new ChatHistoryStoreOptions { ContentProtector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32)) });
        var info = await store.CreateAsync(new() { OwnerId = NewOwner() });
        var messages = ChatMessageSamples.EveryContentKind();

        await store.AppendAsync(info.Id, messages.Take(2));
        await store.AppendAsync(info.Id, messages.Skip(2));

        ChatMessageSamples.AssertEqual(messages, (await store.GetAsync(info.Id))!.Messages);
        ChatMessageSamples.AssertEqual(messages.TakeLast(2).ToList(), (await store.GetAsync(info.Id, new() { MaxMessages = 2 }))!.Messages);
    }

    [ConformanceFact]
    public async Task Protected_TamperedMessage_FailsTheReadWithACryptographicException()
    {
        var store = await CreateStoreAsync(new ChatHistoryStoreOptions { ContentProtector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32)) });
        var info = await SessionWithMessagesAsync(store, 3);

        await CorruptStoredMessageAsync(store, info.Id, 2);

        var ex = await Assert.ThrowsAsync<CryptographicException>(() => store.GetAsync(info.Id));
        Assert.Contains(info.Id, ex.Message, StringComparison.Ordinal);
        Assert.Equal(["3"], (await store.GetAsync(info.Id, new() { AfterVersion = 2 }))!.Messages.Select(m => m.Text));
    }

    [ConformanceFact]
    public async Task Protected_SwappedMessages_FailTheReadWithACryptographicException()
    {
        var store = await CreateStoreAsync(new ChatHistoryStoreOptions { ContentProtector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(16)) });
        var info = await SessionWithMessagesAsync(store, 3);

        await SwapStoredMessagesAsync(store, info.Id, 1, 2);

        await Assert.ThrowsAsync<CryptographicException>(() => store.GetAsync(info.Id));
        Assert.Equal(["3"], (await store.GetAsync(info.Id, new() { AfterVersion = 2 }))!.Messages.Select(m => m.Text));
    }

    // ---- helpers ----

    /// <summary>Creates a session with messages "1", "2", … alternating user and assistant.</summary>
    protected static async Task<ChatSessionInfo> SessionWithMessagesAsync(IChatHistoryStore store, int count, string? owner = null)
    {
        var info = await store.CreateAsync(new() { OwnerId = owner ?? NewOwner() });
        await store.AppendAsync(info.Id, Enumerable.Range(1, count).Select(i => i % 2 == 1 ? User($"{i}") : Assistant($"{i}")).ToList());
        return (await store.GetAsync(info.Id, new() { MaxMessages = 0 }))!.Info;
    }

    /// <summary>A new, unique owner id.</summary>
    protected static string NewOwner() => "owner-" + Guid.NewGuid().ToString("N");

    /// <summary>A new, unique session id.</summary>
    protected static string NewId() => "s-" + Guid.NewGuid().ToString("N");

    /// <summary>A user text message.</summary>
    protected static ChatMessage User(string text) => new(ChatRole.User, text);

    /// <summary>An assistant text message.</summary>
    protected static ChatMessage Assistant(string text) => new(ChatRole.Assistant, text);

    private static DateTimeOffset Microseconds(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    private static void AssertSameInfo(ChatSessionInfo expected, ChatSessionInfo actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));

    private static void AssertListOrder(IReadOnlyList<ChatSessionInfo> listed)
    {
        for (var i = 1; i < listed.Count; i++)
        {
            var (previous, current) = (listed[i - 1], listed[i]);
            Assert.True(
                previous.UpdatedAt > current.UpdatedAt || (previous.UpdatedAt == current.UpdatedAt && string.CompareOrdinal(previous.Id, current.Id) < 0),
                $"'{previous.Id}' ({previous.UpdatedAt:O}) is listed before '{current.Id}' ({current.UpdatedAt:O}).");
        }
    }
}
