using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using AiAllin.SK.Connectors.Core.ChatClients;
using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.Core.Streaming;
using AiAllin.SK.Connectors.OpenAI;
using AiAllin.SK.Connectors.Postgres.Sessions;
using AiAllin.SK.Filters;
using AiAllin.SK.Testing.Providers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Npgsql;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// The whole streaming-conversation path against the bare client, over the same loopback OpenAI-format server: time to
/// the first answer token of a turn on a 1,000-message PostgreSQL session (session load, token-budget reducer, filter
/// pack retry + timeouts, callback) against the bare client sending one message and sending the same reduced history
/// (what a caller keeping the history in memory would send), and the per-token cost of a 500-token answer through the filters and the callback
/// API. Needs <c>AIALLIN_POSTGRES_URL</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[ShortRunJob]
public class StreamingConversationBenchmarks
{
    private const int SessionSize = 1000;
    private const int Tokens = 500;
    private const string Model = "bench-model";

    private OpenAIWireServer _server = null!;
    private ScriptedReply _reply = null!;
    private IChatClient _bare = null!;
    private IChatClient _layered = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgresChatHistoryStore _store = null!;
    private ChatSessionRunner _runner = null!;
    private string _schema = "";
    private string _sessionId = "";
    private List<ChatMessage> _reducedHistory = [];
    private InProcessStream _inProcess = null!;
    private IChatClient _inProcessLayered = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL")
            ?? throw new InvalidOperationException("Set AIALLIN_POSTGRES_URL (eval \"$(bash eng/services-start.sh)\").");
        _server = await WireServer.StartAsync<OpenAIWireServer>();
        _reply = ScriptedReply.WithText([.. Enumerable.Range(0, Tokens).Select(i => $"token{i} ")]);
        var endpoint = new Uri(_server.BaseAddress, "v1");
        _bare = OpenAIClientFactory.CreateChatClient(new OpenAIOptions { ApiKey = "sk-bench", Model = Model, Endpoint = endpoint, MaxRetries = 0 });

        _schema = "bench_turn_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _store = new PostgresChatHistoryStore(_dataSource, new PostgresChatHistoryStoreOptions { Schema = _schema, CleanupInterval = TimeSpan.Zero });
        var session = await _store.CreateAsync(new ChatSessionCreateOptions { OwnerId = "bench" });
        await _store.AppendAsync(session.Id, Enumerable.Range(0, SessionSize).Select(i => new ChatMessage(
            i % 2 == 0 ? ChatRole.User : ChatRole.Assistant,
            $"Message {i}: " + string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog; ", 6)))).ToList());
        _sessionId = session.Id;
        var reducer = new TokenBudgetChatHistoryReducer(8_000);
        _reducedHistory = [.. reducer.Reduce([.. (await _store.GetAsync(session.Id))!.Messages, new ChatMessage(ChatRole.User, "go")])];

        var builder = Kernel.CreateBuilder()
            .AddOpenAICompatibleChatClient(o => { o.Endpoint = endpoint; o.Model = Model; o.ApiKey = "sk-bench"; o.MaxRetries = 0; })
            .AddAiAllinFilters(f => f.UseRetry().UseTimeout(o => { o.FirstToken = TimeSpan.FromSeconds(30); o.Idle = TimeSpan.FromSeconds(30); }));
        var kernel = builder.Build();

        // The same layers around a stream that needs no network, to tell their CPU cost from the socket's.
        _inProcess = new InProcessStream(Tokens);
        var inProcessBuilder = Kernel.CreateBuilder()
            .AddAiAllinFilters(f => f.UseRetry().UseTimeout(o => { o.FirstToken = TimeSpan.FromSeconds(30); o.Idle = TimeSpan.FromSeconds(30); }));
        inProcessBuilder.Services.AddProviderChatClient(null, new OpenAIOptions { ApiKey = "sk-bench", Model = Model }, (_, _) => _inProcess);
        _inProcessLayered = inProcessBuilder.Build().GetRequiredService<IChatClient>();
        _layered = kernel.GetRequiredService<IChatClient>();
        _runner = new ChatSessionRunner(kernel, _store, new ChatSessionRunnerOptions { Reducer = reducer });

        // Fail loudly here rather than measure a broken path.
        if (await InProcessBareAsync() != Tokens || await InProcessCallbackAsync() != Tokens || await BareStreamAsync() != Tokens || await CallbackStreamAsync() != Tokens || await BareFirstTokenAsync() != 1 || await BareReducedHistoryFirstTokenAsync() != 1 || await RunnerFirstTokenAsync() != 1)
        {
            throw new InvalidOperationException("A path did not deliver what the server sent.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await using (var drop = _dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await _store.DisposeAsync();
        await _dataSource.DisposeAsync();
        _bare.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "bare IChatClient, one message")]
    [BenchmarkCategory("First answer token")]
    public async Task<int> BareFirstTokenAsync()
    {
        _server.Enqueue(_reply);
        await foreach (var update in _bare.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "go")]))
        {
            if (update.Text.Length > 0)
            {
                return 1;
            }
        }

        return 0;
    }

    [Benchmark(Description = "bare IChatClient, the turn's reduced history")]
    [BenchmarkCategory("First answer token")]
    public async Task<int> BareReducedHistoryFirstTokenAsync()
    {
        _server.Enqueue(_reply);
        await foreach (var update in _bare.GetStreamingResponseAsync(_reducedHistory))
        {
            if (update.Text.Length > 0)
            {
                return 1;
            }
        }

        return 0;
    }

    [Benchmark(Description = "runner: 1,000-message session + reducer + filters + callback")]
    [BenchmarkCategory("First answer token")]
    public async Task<int> RunnerFirstTokenAsync()
    {
        _server.Enqueue(_reply);
        try
        {
            await _runner.RunStreamAsync(_sessionId, "go", token =>
            {
                if (token.Phase == StreamPhase.Answer)
                {
                    throw new FirstTokenReachedException();
                }
            });
        }
        catch (FirstTokenReachedException)
        {
            return 1;
        }

        return 0;
    }

    [Benchmark(Baseline = true, Description = "bare IChatClient stream")]
    [BenchmarkCategory("500-token answer")]
    public async Task<int> BareStreamAsync()
    {
        _server.Enqueue(_reply);
        var count = 0;
        await foreach (var update in _bare.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "go")]))
        {
            count += update.Text.Length > 0 ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Description = "filters + StreamResponseAsync callback")]
    [BenchmarkCategory("500-token answer")]
    public async Task<int> CallbackStreamAsync()
    {
        _server.Enqueue(_reply);
        var count = 0;
        await _layered.StreamResponseAsync([new ChatMessage(ChatRole.User, "go")], token => count += token.Text.Trim().Length > 0 ? 1 : 0);
        return count;
    }

    [Benchmark(Baseline = true, Description = "in-process stream, bare")]
    [BenchmarkCategory("500 tokens, no network")]
    public async Task<int> InProcessBareAsync()
    {
        var count = 0;
        await foreach (var update in _inProcess.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "go")]))
        {
            count += update.Text.Length > 0 ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Description = "in-process stream, registered layers + filters + StreamResponseAsync callback")]
    [BenchmarkCategory("500 tokens, no network")]
    public async Task<int> InProcessCallbackAsync()
    {
        var count = 0;
        await _inProcessLayered.StreamResponseAsync([new ChatMessage(ChatRole.User, "go")], token => count += token.Text.Trim().Length > 0 ? 1 : 0);
        return count;
    }

    private sealed class FirstTokenReachedException : Exception;

    // The answer's updates from memory, completing synchronously: what is left is the cost of the layers above it.
    private sealed class InProcessStream(int tokens) : IChatClient
    {
        private readonly ChatResponseUpdate[] _updates = [.. Enumerable.Range(0, tokens).Select(i => new ChatResponseUpdate(ChatRole.Assistant, $"token{i} ") { MessageId = "m1", ResponseId = "r1", ModelId = Model })];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(_updates.ToChatResponse());

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask.ConfigureAwait(false);
            foreach (var update in _updates)
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
