using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Anthropic;
using AiAllin.SK.Testing.Providers;
using Anthropic.Core;
using Anthropic.Models.Messages;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using AnthropicSdkClient = Anthropic.AnthropicClient;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Client cost of reading one streamed Messages API answer of <see cref="Chunks"/> <c>text_delta</c> events: our
/// <see cref="AnthropicChatClient"/> against the raw Anthropic SDK 13.14.0 (its own <see cref="IChatClient"/> adapter
/// and its lower-level <c>Messages.CreateStreaming</c>), over the same <see cref="AnthropicWireServer"/>.
/// </summary>
/// <remarks>
/// Two categories. <c>WireServer</c>: a real loopback HTTP exchange with the Kestrel wire server, which spends most of
/// the time rendering and flushing each event, so it shows the end-to-end figure. <c>Replay</c>: the same bytes,
/// recorded once from the wire server, served by an in-memory handler, so only the client's per-event work (the SSE
/// guard, the SDK's parse, the update) is measured. Every client sits on the same handler in each category, with the
/// SDK's retries off.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[ShortRunJob]
public class AnthropicStreamingBenchmarks
{
    private const string Model = "claude-bench";
    private const string Key = "sk-ant-bench-key-0123456789abcdef";

    private static readonly Dictionary<string, JsonElement> NoFields = [];

    private static readonly Dictionary<string, JsonElement> RawBody = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
        $$"""{"model":"{{Model}}","max_tokens":{{AnthropicOptions.DefaultMaxTokens}},"messages":[{"role":"user","content":"go"}]}""")!;

    private AnthropicWireServer _server = null!;
    private ScriptedReply _reply = null!;
    private AnthropicChatClient _ours = null!;
    private AnthropicSdkClient _raw = null!;
    private IChatClient _rawChat = null!;
    private ReplayHandler _replay = null!;
    private AnthropicChatClient _oursReplay = null!;
    private HttpClient _rawReplayHttp = null!;
    private AnthropicSdkClient _rawReplay = null!;
    private IChatClient _rawReplayChat = null!;

    /// <summary>Gets or sets the number of streamed text chunks.</summary>
    [Params(500)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await WireServer.StartAsync<AnthropicWireServer>();
        _reply = ScriptedReply.WithText([.. Enumerable.Range(0, Chunks).Select(i => $"token{i} ")]);
        _ours = new AnthropicChatClient(new AnthropicOptions { ApiKey = Key, Model = Model, Endpoint = _server.BaseAddress, MaxRetries = 0 });
        _raw = new AnthropicSdkClient(new ClientOptions { ApiKey = Key, BaseUrl = _server.BaseAddress.AbsoluteUri.TrimEnd('/'), MaxRetries = 0 });
        _rawChat = _raw.AsIChatClient(Model, AnthropicOptions.DefaultMaxTokens);

        _server.Enqueue(_reply);
        using var recorder = new HttpClient { BaseAddress = _server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = new StringContent($"{{\"model\":\"{Model}\",\"max_tokens\":10,\"stream\":true,\"messages\":[]}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var recorded = await recorder.SendAsync(request);
        _replay = new ReplayHandler(await recorded.Content.ReadAsByteArrayAsync());
        _oursReplay = new AnthropicChatClient(new AnthropicOptions { ApiKey = Key, Model = Model, MaxRetries = 0 }, innerHandler: _replay);
        _rawReplayHttp = new HttpClient(_replay, disposeHandler: false);
        _rawReplay = new AnthropicSdkClient(new ClientOptions { ApiKey = Key, HttpClient = _rawReplayHttp, MaxRetries = 0 });
        _rawReplayChat = _rawReplay.AsIChatClient(Model, AnthropicOptions.DefaultMaxTokens);

        // Fail loudly here rather than measure a broken path.
        var expected = await RawChatClientReplayAsync();
        if (expected < Chunks || await OursAsync() != expected || await RawChatClientAsync() != expected || await OursReplayAsync() != expected
            || await RawCreateStreamingReplayAsync() < Chunks)
        {
            throw new InvalidOperationException("A client did not read every event.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _ours.Dispose();
        _rawChat.Dispose();
        _oursReplay.Dispose();
        _rawReplayChat.Dispose();
        _rawReplayHttp.Dispose();
        _replay.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "Anthropic SDK IChatClient")]
    [BenchmarkCategory("WireServer")]
    public Task<int> RawChatClientAsync() => CountAsync(_rawChat, enqueue: true);

    [Benchmark(Description = "Anthropic SDK Messages.CreateStreaming")]
    [BenchmarkCategory("WireServer")]
    public Task<int> RawCreateStreamingAsync()
    {
        _server.Enqueue(_reply);
        return CountEventsAsync(_raw);
    }

    [Benchmark(Description = "AiAllin AnthropicChatClient")]
    [BenchmarkCategory("WireServer")]
    public Task<int> OursAsync() => CountAsync(_ours, enqueue: true);

    [Benchmark(Baseline = true, Description = "Anthropic SDK IChatClient")]
    [BenchmarkCategory("Replay")]
    public Task<int> RawChatClientReplayAsync() => CountAsync(_rawReplayChat, enqueue: false);

    [Benchmark(Description = "Anthropic SDK Messages.CreateStreaming")]
    [BenchmarkCategory("Replay")]
    public Task<int> RawCreateStreamingReplayAsync() => CountEventsAsync(_rawReplay);

    [Benchmark(Description = "AiAllin AnthropicChatClient")]
    [BenchmarkCategory("Replay")]
    public Task<int> OursReplayAsync() => CountAsync(_oursReplay, enqueue: false);

    private static async Task<int> CountEventsAsync(AnthropicSdkClient client)
    {
        var parameters = MessageCreateParams.FromRawUnchecked(NoFields, NoFields, RawBody);
        var count = 0;
        await foreach (var streamEvent in client.Messages.CreateStreaming(parameters))
        {
            count += streamEvent is null ? 0 : 1;
        }

        return count;
    }

    private async Task<int> CountAsync(IChatClient client, bool enqueue)
    {
        if (enqueue)
        {
            _server.Enqueue(_reply);
        }

        var count = 0;
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "go")]))
        {
            count += update.Contents.Count > 0 || update.FinishReason is not null ? 1 : 0;
        }

        return count;
    }

    private sealed class ReplayHandler(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content });
        }
    }
}
