using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.Postgres.Sessions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.AI;
using Npgsql;
using NpgsqlTypes;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// The PostgreSQL chat history store against a naive baseline, on a session of 1,000 messages: appending one message
/// at a time, and loading the whole session. Needs <c>AIALLIN_POSTGRES_URL</c>.
/// </summary>
/// <remarks>
/// The baseline is the usual first implementation: the whole session is one JSON document in one row. To be fair to
/// it, the client keeps the session's messages in memory (no read before a write), stores the document as <c>json</c>
/// (no jsonb parsing), and an append is one <c>UPDATE</c> round trip with the same optimistic version check the store
/// does; it still has to serialize and rewrite the whole document every time. Loading it is one <c>SELECT</c> and one
/// deserialization of the array. Each append iteration starts from a fresh 1,000-message session and appends 200
/// messages, so both sides grow from 1,000 to 1,200 messages.
/// </remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 15)]
public class ChatHistoryBenchmarks
{
    private const int SessionSize = 1000;
    private const int AppendsPerInvocation = 200;
    private const int LoadsPerInvocation = 40;

    private static readonly JsonTypeInfo<List<ChatMessage>> DocumentTypeInfo =
        (JsonTypeInfo<List<ChatMessage>>)ChatMessageSerializer.Options.GetTypeInfo(typeof(List<ChatMessage>));

    private readonly List<ChatMessage> _messages = [.. Enumerable.Range(0, SessionSize + AppendsPerInvocation).Select(Message)];
    private string _schema = "";
    private NpgsqlDataSource _dataSource = null!;
    private PostgresChatHistoryStore _store = null!;
    private string _naiveTable = "";
    private string _loadSessionId = "";
    private string _appendSessionId = "";
    private long _appendVersion;
    private List<ChatMessage> _naiveDocument = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL")
            ?? throw new InvalidOperationException("Set AIALLIN_POSTGRES_URL (eval \"$(bash eng/services-start.sh)\").");
        _schema = "bench_chat_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _store = new PostgresChatHistoryStore(_dataSource, new PostgresChatHistoryStoreOptions { Schema = _schema, CleanupInterval = TimeSpan.Zero });
        await _store.EnsureSchemaAsync();
        _naiveTable = $"\"{_schema}\".naive_sessions";
        await ExecuteAsync($"CREATE TABLE {_naiveTable} (id text PRIMARY KEY, document json NOT NULL, version bigint NOT NULL)");

        _loadSessionId = await CreateStoreSessionAsync();
        await WriteNaiveDocumentAsync("load", _messages.Take(SessionSize).ToList(), insert: true);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
        await _store.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    [IterationSetup(Targets = [nameof(AppendStore), nameof(AppendNaiveDocument)])]
    public void SetupAppendIteration()
    {
        if (_appendSessionId.Length > 0)
        {
            _store.DeleteAsync(_appendSessionId).GetAwaiter().GetResult();
        }

        _appendSessionId = CreateStoreSessionAsync().GetAwaiter().GetResult();
        _appendVersion = SessionSize;
        _naiveDocument = _messages.Take(SessionSize).ToList();
        ExecuteAsync($"DELETE FROM {_naiveTable} WHERE id = 'append'").GetAwaiter().GetResult();
        WriteNaiveDocumentAsync("append", _naiveDocument, insert: true).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = AppendsPerInvocation)]
    [BenchmarkCategory("Append one message to a 1,000-message session")]
    public async Task AppendNaiveDocument()
    {
        for (var i = 0; i < AppendsPerInvocation; i++)
        {
            _naiveDocument.Add(_messages[SessionSize + i]);
            await WriteNaiveDocumentAsync("append", _naiveDocument, insert: false);
        }
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvocation)]
    [BenchmarkCategory("Append one message to a 1,000-message session")]
    public async Task AppendStore()
    {
        for (var i = 0; i < AppendsPerInvocation; i++)
        {
            _appendVersion = await _store.AppendAsync(_appendSessionId, [_messages[SessionSize + i]], _appendVersion);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = LoadsPerInvocation)]
    [BenchmarkCategory("Load a 1,000-message session")]
    public async Task<int> LoadNaiveDocument()
    {
        var count = 0;
        for (var i = 0; i < LoadsPerInvocation; i++)
        {
            await using var command = _dataSource.CreateCommand($"SELECT document FROM {_naiveTable} WHERE id = 'load'");
            var document = (string)(await command.ExecuteScalarAsync())!;
            count += JsonSerializer.Deserialize(document, DocumentTypeInfo)!.Count;
        }

        return Check(count);
    }

    [Benchmark(OperationsPerInvoke = LoadsPerInvocation)]
    [BenchmarkCategory("Load a 1,000-message session")]
    public async Task<int> LoadStore()
    {
        var count = 0;
        for (var i = 0; i < LoadsPerInvocation; i++)
        {
            count += (await _store.GetAsync(_loadSessionId))!.Messages.Count;
        }

        return Check(count);
    }

    private static int Check(int count) =>
        count == SessionSize * LoadsPerInvocation ? count : throw new InvalidOperationException($"Loaded {count} messages.");

    private async Task<string> CreateStoreSessionAsync()
    {
        var session = await _store.CreateAsync(new ChatSessionCreateOptions { OwnerId = "bench" });
        await _store.AppendAsync(session.Id, _messages.Take(SessionSize));
        return session.Id;
    }

    private async Task WriteNaiveDocumentAsync(string id, List<ChatMessage> messages, bool insert)
    {
        await using var command = _dataSource.CreateCommand(insert
            ? $"INSERT INTO {_naiveTable} (id, document, version) VALUES (@id, @document, @version)"
            : $"UPDATE {_naiveTable} SET document = @document, version = @version WHERE id = @id AND version = @version - 1");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.Add(new NpgsqlParameter("document", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(messages, DocumentTypeInfo) });
        command.Parameters.AddWithValue("version", (long)messages.Count);
        if (await command.ExecuteNonQueryAsync() != 1)
        {
            throw new InvalidOperationException("The naive document was changed by another writer.");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    // Chat turns of a few hundred characters, alternating user and assistant, like a real conversation.
    private static ChatMessage Message(int i) => new(
        i % 2 == 0 ? ChatRole.User : ChatRole.Assistant,
        $"Message {i}: " + string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog; ", 6)));
}
