using AiAllin.SK.Testing.Sessions;
using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.InMemory.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace AiAllin.SK.Connectors.InMemory.Tests.Sessions;

/// <summary>
/// A turn with a token-budget reducer reads a recent window of the session plus its earlier system messages, widening
/// the window only while it fits in the budget, and sends exactly what reducing the whole history would send.
/// </summary>
public sealed class ChatSessionWindowedReadTests
{
    private readonly ScriptedChatClient _model = new();
    private readonly ReadRecordingStore _store = new(new InMemoryChatHistoryStore());

    [Theory]
    [InlineData(300, 1)]
    [InlineData(8_000, 2)]
    [InlineData(20_000, 3)]
    [InlineData(1_000_000, 3)]
    public async Task Turn_OnALongSession_SendsWhatTheWholeHistoryWouldAndReadsAWindow(int budget, int expectedReads)
    {
        var history = LongHistory(1_000);
        var info = await _store.CreateAsync(new() { OwnerId = "owner" });
        await _store.AppendAsync(info.Id, history);
        var reducer = new TokenBudgetChatHistoryReducer(budget);

        // What reducing the whole stored history gives (stored tool results read back as JSON values, as the turn sees them).
        var expected = reducer.Reduce([.. (await _store.GetAsync(info.Id))!.Messages, new ChatMessage(ChatRole.User, "Hi")]);
        _store.Reads.Clear();

        var result = await Kernel().ChatInSessionAsync(_store, info.Id, "Hi", new PromptExecutionSettings(), new() { Reducer = reducer });

        var sent = Assert.Single(_model.Requests).Messages;
        Assert.Equal(expected.Select(Describe), sent.Select(Describe));
        Assert.Equal(expectedReads, _store.Reads.Count);
        Assert.All(_store.Reads, read => Assert.True(read is { IncludeEarlierSystemMessages: true, MaxMessages: not null }));
        Assert.Equal(1_002, result.Version);
    }

    [Fact]
    public async Task Runner_WithABudget_SendsTheEarlierSystemMessagesAndTheRecentTurns()
    {
        var history = LongHistory(1_000);
        var info = await _store.CreateAsync(new() { OwnerId = "owner" });
        await _store.AppendAsync(info.Id, history);
        var runner = new ChatSessionRunner(Kernel(), _store, new() { Reducer = new TokenBudgetChatHistoryReducer(2_000) });

        await runner.RunStreamAsync(info.Id, "Hi", _ => { });

        var sent = Assert.Single(_model.Requests).Messages;
        Assert.Equal(["rules 0", "be brief", "rules 500"], sent.Where(ChatSession.IsSystemMessage).Select(m => m.Text));
        Assert.Equal("Hi", sent[^1].Text);
        Assert.Equal([128], _store.Reads.Select(r => r!.MaxMessages));
    }

    [Fact]
    public async Task Turn_OnAStoreWithoutEarlierSystemMessages_ReadsTheWholeSession()
    {
        _store.SupportsEarlierSystemMessages = false;
        var info = await _store.CreateAsync(new() { OwnerId = "owner" });
        await _store.AppendAsync(info.Id, LongHistory(300));

        await Kernel().ChatInSessionAsync(_store, info.Id, "Hi", new PromptExecutionSettings(), new() { Reducer = new TokenBudgetChatHistoryReducer(300) });

        Assert.Null(Assert.Single(_store.Reads));
        Assert.Contains(Assert.Single(_model.Requests).Messages, m => m.Text == "rules 0");
    }

    [Fact]
    public async Task Turn_WithAnotherReducer_ReadsTheWholeSession()
    {
        var info = await _store.CreateAsync(new() { OwnerId = "owner" });
        await _store.AppendAsync(info.Id, LongHistory(300));

        await Kernel().ChatInSessionAsync(_store, info.Id, "Hi", new PromptExecutionSettings(), new() { Reducer = new ChatHistoryTruncationReducer(10) });

        Assert.Null(Assert.Single(_store.Reads));
    }

    private Kernel Kernel()
    {
        var builder = Microsoft.SemanticKernel.Kernel.CreateBuilder();
        builder.Services.AddSingleton<IChatClient>(_model);
        return builder.Build();
    }

    // System messages at 0 and 500, a developer message at 250, assistant calls with their results every 7 messages.
    private static List<ChatMessage> LongHistory(int count)
    {
        var history = new List<ChatMessage>();
        for (var i = 0; history.Count < count; i++)
        {
            if (history.Count is 0 or 500)
            {
                history.Add(new ChatMessage(ChatRole.System, $"rules {history.Count}"));
            }
            else if (history.Count == 250)
            {
                history.Add(new ChatMessage(new ChatRole("developer"), "be brief"));
            }
            else if (i % 7 == 0 && history.Count < count - 1)
            {
                history.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"c{i}", "lookup", new Dictionary<string, object?> { ["q"] = i })]));
                history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent($"c{i}", $"result {i} " + new string('r', i % 50))]));
            }
            else
            {
                history.Add(new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, $"message {i} " + new string('m', i % 90)));
            }
        }

        return history;
    }

    private static string Describe(ChatMessage message) =>
        $"{message.Role}:{message.Text}:{string.Join(",", message.Contents.OfType<FunctionCallContent>().Select(c => c.CallId))}{string.Join(",", message.Contents.OfType<FunctionResultContent>().Select(c => c.CallId))}";

    private sealed class ReadRecordingStore(IChatHistoryStore inner) : IChatHistoryStore
    {
        public List<ChatHistoryReadOptions?> Reads { get; } = [];

        public bool SupportsEarlierSystemMessages { get; set; } = inner.SupportsEarlierSystemMessages;

        public Task<ChatSessionInfo> CreateAsync(ChatSessionCreateOptions options, CancellationToken cancellationToken = default) => inner.CreateAsync(options, cancellationToken);

        public Task<ChatSession?> GetAsync(string sessionId, ChatHistoryReadOptions? options = null, CancellationToken cancellationToken = default)
        {
            Reads.Add(options);
            return inner.GetAsync(sessionId, options, cancellationToken);
        }

        public Task<long> AppendAsync(string sessionId, IEnumerable<ChatMessage> messages, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
            inner.AppendAsync(sessionId, messages, expectedVersion, cancellationToken);

        public IAsyncEnumerable<ChatSessionInfo> ListAsync(string ownerId, ChatSessionQuery? query = null, CancellationToken cancellationToken = default) => inner.ListAsync(ownerId, query, cancellationToken);

        public Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken = default) => inner.DeleteAsync(sessionId, cancellationToken);

        public Task<bool> SetExpiryAsync(string sessionId, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default) => inner.SetExpiryAsync(sessionId, expiresAt, cancellationToken);

        public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) => inner.PurgeExpiredAsync(cancellationToken);
    }
}
