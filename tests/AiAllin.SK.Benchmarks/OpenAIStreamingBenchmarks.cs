using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using AiAllin.SK.Connectors.OpenAI;
using AiAllin.SK.Testing.Providers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatRole = Microsoft.Extensions.AI.ChatRole;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Client cost of reading one streamed Chat Completions answer of <see cref="Chunks"/> SSE chunks: our OpenAI chat
/// client (error mapping, line checks, capped retry handler, defaults) against the raw OpenAI SDK 2.15 through the
/// same Microsoft.Extensions.AI adapter, and against the SDK's own <c>CompleteChatStreamingAsync</c>.
/// </summary>
/// <remarks>
/// Two categories. <c>WireServer</c>: a real loopback HTTP exchange with <see cref="OpenAIWireServer"/>, which spends
/// most of the time rendering and flushing each chunk, so it shows the end-to-end figure. <c>Replay</c>: the same
/// bytes, recorded once from the wire server, served by an in-memory handler, so only the client's per-chunk work is
/// measured. Every client sits on the same kind of handler in each category.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[ShortRunJob]
public class OpenAIStreamingBenchmarks
{
    private const string Model = "gpt-4o-mini";
    private const string Key = "sk-benchmark-0123456789abcdef";

    private OpenAIWireServer _server = null!;
    private ScriptedReply _reply = null!;
    private IChatClient _ours = null!;
    private HttpClient _rawHttp = null!;
    private ChatClient _rawSdk = null!;
    private IChatClient _raw = null!;
    private IChatClient _oursReplay = null!;
    private HttpClient _rawReplayHttp = null!;
    private ChatClient _rawSdkReplay = null!;
    private IChatClient _rawReplay = null!;

    /// <summary>Gets or sets the number of streamed text chunks.</summary>
    [Params(500)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await WireServer.StartAsync<OpenAIWireServer>();
        _reply = ScriptedReply.WithText([.. Enumerable.Range(0, Chunks).Select(i => $"token{i} ")]);
        var endpoint = new Uri(_server.BaseAddress, "v1");
        _ours = OpenAIClientFactory.CreateChatClient(new OpenAIOptions { ApiKey = Key, Model = Model, Endpoint = endpoint, MaxRetries = 0 });
        _rawHttp = new HttpClient();
        _rawSdk = RawSdk(endpoint, _rawHttp);
        _raw = _rawSdk.AsIChatClient();

        _server.Enqueue(_reply);
        using var recorder = new HttpClient { BaseAddress = _server.BaseAddress };
        var request = $"{{\"model\":\"{Model}\",\"stream\":true,\"stream_options\":{{\"include_usage\":true}},\"messages\":[]}}";
        using var recorded = await recorder.PostAsync("v1/chat/completions", new StringContent(request, Encoding.UTF8, "application/json"));
        var body = await recorded.Content.ReadAsByteArrayAsync();
        _oursReplay = OpenAIClientFactory.CreateChatClient(new OpenAIOptions { ApiKey = Key, Model = Model, MaxRetries = 0 }, loggerFactory: null, new ReplayHandler(body));
        _rawReplayHttp = new HttpClient(new ReplayHandler(body));
        _rawSdkReplay = RawSdk(new Uri("https://api.openai.com/v1"), _rawReplayHttp);
        _rawReplay = _rawSdkReplay.AsIChatClient();

        // Fail loudly here rather than measure a broken path: every chunk plus the role, finish and usage chunks.
        var expected = Chunks + 3;
        if (await OursAsync() != expected || await RawChatClientAsync() != expected || await OursReplayAsync() != expected || await RawChatClientReplayAsync() != expected || await RawSdkReplayAsync() != expected)
        {
            throw new InvalidOperationException("A client did not read every chunk.");
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
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "OpenAI SDK + M.E.AI IChatClient")]
    [BenchmarkCategory("WireServer")]
    public Task<int> RawChatClientAsync() => CountAsync(_raw, enqueue: true);

    [Benchmark(Description = "AiAllin OpenAI IChatClient")]
    [BenchmarkCategory("WireServer")]
    public Task<int> OursAsync() => CountAsync(_ours, enqueue: true);

    [Benchmark(Baseline = true, Description = "OpenAI SDK + M.E.AI IChatClient")]
    [BenchmarkCategory("Replay")]
    public Task<int> RawChatClientReplayAsync() => CountAsync(_rawReplay, enqueue: false);

    [Benchmark(Description = "OpenAI SDK CompleteChatStreamingAsync")]
    [BenchmarkCategory("Replay")]
    public async Task<int> RawSdkReplayAsync()
    {
        var count = 0;
        await foreach (var update in _rawSdkReplay.CompleteChatStreamingAsync([new UserChatMessage("go")]))
        {
            count += update.ContentUpdate.Count > 0 || update.FinishReason is not null || update.Role is not null || update.Usage is not null ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Description = "AiAllin OpenAI IChatClient")]
    [BenchmarkCategory("Replay")]
    public Task<int> OursReplayAsync() => CountAsync(_oursReplay, enqueue: false);

    private static ChatClient RawSdk(Uri endpoint, HttpClient httpClient) =>
        new OpenAIClient(new ApiKeyCredential(Key), new OpenAIClientOptions { Endpoint = endpoint, Transport = new HttpClientPipelineTransport(httpClient) }).GetChatClient(Model);

    private async Task<int> CountAsync(IChatClient client, bool enqueue)
    {
        if (enqueue)
        {
            _server.Enqueue(_reply);
        }

        var count = 0;
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "go")]))
        {
            count += update.Contents.Count > 0 || update.FinishReason is not null || update.Role is not null ? 1 : 0;
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
