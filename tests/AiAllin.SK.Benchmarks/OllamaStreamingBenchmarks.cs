using AiAllin.SK.Connectors.Ollama;
using AiAllin.SK.Testing.Providers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OllamaSharp.Models.Chat;
using ChatRole = Microsoft.Extensions.AI.ChatRole;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Client cost of reading one streamed <c>/api/chat</c> answer of <see cref="Chunks"/> NDJSON lines: our
/// <see cref="OllamaChatClient"/> against raw OllamaSharp 5.5.2 (its <see cref="IChatClient"/> and its lower-level
/// <c>ChatAsync</c>), over the same <see cref="OllamaWireServer"/>.
/// </summary>
/// <remarks>
/// Two categories. <c>WireServer</c>: a real loopback HTTP exchange with the Kestrel wire server, which spends most of
/// the time rendering and flushing each line, so it shows the end-to-end figure. <c>Replay</c>: the same bytes,
/// recorded once from the wire server, served by an in-memory handler, so only the client's per-chunk work (read a
/// line, parse it, build the update) is measured. Both clients sit on the same handler in each category.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[ShortRunJob]
public class OllamaStreamingBenchmarks
{
    private const string Model = "llama3.2:latest";

    private OllamaWireServer _server = null!;
    private ScriptedReply _reply = null!;
    private OllamaChatClient _ours = null!;
    private HttpClient _rawHttp = null!;
    private OllamaApiClient _raw = null!;
    private ReplayHandler _replay = null!;
    private OllamaChatClient _oursReplay = null!;
    private HttpClient _rawReplayHttp = null!;
    private OllamaApiClient _rawReplay = null!;

    /// <summary>Gets or sets the number of streamed text chunks.</summary>
    [Params(500)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await WireServer.StartAsync<OllamaWireServer>();
        _reply = ScriptedReply.WithText([.. Enumerable.Range(0, Chunks).Select(i => $"token{i} ")]);
        _ours = new OllamaChatClient(new OllamaOptions { Endpoint = _server.BaseAddress, Model = Model, MaxRetries = 0 });
        _rawHttp = new HttpClient { BaseAddress = _server.BaseAddress };
        _raw = new OllamaApiClient(_rawHttp, Model);

        _server.Enqueue(_reply);
        using var recorder = new HttpClient { BaseAddress = _server.BaseAddress };
        using var recorded = await recorder.PostAsync("api/chat", new StringContent($"{{\"model\":\"{Model}\",\"messages\":[]}}"));
        _replay = new ReplayHandler(await recorded.Content.ReadAsByteArrayAsync());
        _oursReplay = new OllamaChatClient(new OllamaOptions { Model = Model, MaxRetries = 0 }, innerHandler: _replay);
        _rawReplayHttp = new HttpClient(_replay, disposeHandler: false) { BaseAddress = OllamaOptions.DefaultEndpoint };
        _rawReplay = new OllamaApiClient(_rawReplayHttp, Model);

        // Fail loudly here rather than measure a broken path.
        if (await OursAsync() != Chunks + 1 || await RawChatClientAsync() != Chunks + 1 || await OursReplayAsync() != Chunks + 1 || await RawChatClientReplayAsync() != Chunks + 1)
        {
            throw new InvalidOperationException("A client did not read every line.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _ours.Dispose();
        _raw.Dispose();
        _rawHttp.Dispose();
        _oursReplay.Dispose();
        _rawReplay.Dispose();
        _rawReplayHttp.Dispose();
        _replay.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "OllamaSharp IChatClient")]
    [BenchmarkCategory("WireServer")]
    public Task<int> RawChatClientAsync() => CountAsync(_raw, enqueue: true);

    [Benchmark(Description = "OllamaSharp ChatAsync")]
    [BenchmarkCategory("WireServer")]
    public async Task<int> RawChatAsync()
    {
        _server.Enqueue(_reply);
        var count = 0;
        await foreach (var line in _raw.ChatAsync(new ChatRequest { Model = Model, Messages = [new Message(OllamaSharp.Models.Chat.ChatRole.User, "go")], Stream = true }))
        {
            count += line is null ? 0 : 1;
        }

        return count;
    }

    [Benchmark(Description = "AiAllin OllamaChatClient")]
    [BenchmarkCategory("WireServer")]
    public Task<int> OursAsync() => CountAsync(_ours, enqueue: true);

    [Benchmark(Baseline = true, Description = "OllamaSharp IChatClient")]
    [BenchmarkCategory("Replay")]
    public Task<int> RawChatClientReplayAsync() => CountAsync(_rawReplay, enqueue: false);

    [Benchmark(Description = "AiAllin OllamaChatClient")]
    [BenchmarkCategory("Replay")]
    public Task<int> OursReplayAsync() => CountAsync(_oursReplay, enqueue: false);

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
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content });
        }
    }
}
