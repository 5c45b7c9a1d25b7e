using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using AiAllin.SK.Filters;
using AiAllin.SK.Filters.Metrics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// What the filter stack costs around a model that answers at once (a no-op client): logging (no logger enabled),
/// rate limit (a limit never reached), timeout (total, first-token and idle limits all armed), metrics and retry,
/// against the bare client — per non-streamed call, and per streamed token of a 1,000-update stream. The metrics run
/// twice: with nobody listening (instruments disabled) and with a <see cref="MeterListener"/> taking every
/// measurement, as an OpenTelemetry exporter would. The <c>NewPrompt</c> rows send a new prompt each call (with a
/// cancellable token, as a web request's): the exact cache alone, and the README's whole stack, each on a cache miss.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[Config(typeof(InProcessConfig))]
public class FilterStackBenchmarks
{
    private const int StreamLength = 1000;

    private readonly List<ChatMessage> _messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "What is the capital of France?")];
    private IChatClient _bare = null!;
    private IChatClient _stack = null!;
    private IChatClient _observedStack = null!;
    private MeterListener _listener = null!;
    private readonly CancellationTokenSource _request = new();
    private readonly List<ServiceProvider> _providers = [];
    private IChatClient _cacheOnly = null!;
    private IChatClient _readmeStack = null!;
    private long _prompt;

    [GlobalSetup]
    public void Setup()
    {
        _bare = new NoOpChatClient(StreamLength);
        _stack = Stack(_bare, null);
        var observed = new ScopedMeterFactory();
        _observedStack = Stack(_bare, observed);
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MetricsPolicy.SourceName && ReferenceEquals(instrument.Meter.Scope, observed))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _listener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _listener.SetMeasurementEventCallback<int>(static (_, _, _, _) => { });
        _listener.Start();
        _cacheOnly = Registered(f => f.UseCache(o => o.Ttl = TimeSpan.FromHours(1)));
        _readmeStack = Registered(f => FilterStackWireBenchmarks.Readme(f, withCache: true, model: "noop-model"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener.Dispose();
        _request.Dispose();
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("NewPrompt")]
    public Task<ChatResponse> BareCallNewPrompt() => _bare.GetResponseAsync(NewPrompt(), cancellationToken: _request.Token);

    [Benchmark]
    [BenchmarkCategory("NewPrompt")]
    public Task<ChatResponse> CacheMissCall() => _cacheOnly.GetResponseAsync(NewPrompt(), cancellationToken: _request.Token);

    [Benchmark]
    [BenchmarkCategory("NewPrompt")]
    public Task<ChatResponse> ReadmeStackCacheMissCall() => _readmeStack.GetResponseAsync(NewPrompt(), cancellationToken: _request.Token);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Call")]
    public Task<ChatResponse> BareCall() => _bare.GetResponseAsync(_messages);

    [Benchmark]
    [BenchmarkCategory("Call")]
    public Task<ChatResponse> StackCall() => _stack.GetResponseAsync(_messages);

    [Benchmark]
    [BenchmarkCategory("Call")]
    public Task<ChatResponse> StackCallObserved() => _observedStack.GetResponseAsync(_messages);

    [Benchmark(Baseline = true, OperationsPerInvoke = StreamLength)]
    [BenchmarkCategory("Stream1000")]
    public Task<int> BareStreamPerToken() => DrainAsync(_bare);

    [Benchmark(OperationsPerInvoke = StreamLength)]
    [BenchmarkCategory("Stream1000")]
    public Task<int> StackStreamPerToken() => DrainAsync(_stack);

    [Benchmark(OperationsPerInvoke = StreamLength)]
    [BenchmarkCategory("Stream1000")]
    public Task<int> StackStreamPerTokenObserved() => DrainAsync(_observedStack);

    private static IChatClient Stack(IChatClient inner, IMeterFactory? meters) => new ChatClientBuilder(inner)
        .UseAiAllinLogging(NullLoggerFactory.Instance)
        .UseAiAllinRateLimit(o =>
        {
            o.RequestsPerWindow = int.MaxValue;
            o.Window = TimeSpan.FromMinutes(1);
        })
        .UseAiAllinTimeout(o =>
        {
            o.Total = TimeSpan.FromMinutes(5);
            o.FirstToken = TimeSpan.FromMinutes(1);
            o.Idle = TimeSpan.FromMinutes(1);
        })
        .UseAiAllinMetrics()
        .UseAiAllinRetry()
        .Build(new MeterServices(meters));

    private List<ChatMessage> NewPrompt() =>
        [new(ChatRole.System, "Be brief."), new(ChatRole.User, $"What is the capital of France? ({Interlocked.Increment(ref _prompt)})")];

    private IChatClient Registered(Action<AiAllinFiltersBuilder> filters)
    {
        var services = new ServiceCollection();
        services.AddHybridCache();
        services.AddSingleton(_bare);
        services.AddAiAllinFilters(filters);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IChatClient>();
    }

    private async Task<int> DrainAsync(IChatClient client)
    {
        var count = 0;
        await foreach (var update in client.GetStreamingResponseAsync(_messages))
        {
            count += update.Contents.Count;
        }

        return count;
    }

    /// <summary>Gives the observed stack its own meters, so the listener can tell them from the unobserved stack's.</summary>
    private sealed class ScopedMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options.Name, options.Version, options.Tags, this);

        public void Dispose()
        {
        }
    }

    private sealed class MeterServices(IMeterFactory? meters) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IMeterFactory) ? meters : null;
    }

    /// <summary>Answers at once: one prepared response, or the same prepared updates streamed synchronously.</summary>
    private sealed class NoOpChatClient : IChatClient
    {
        private readonly ChatResponse _response;
        private readonly ChatResponseUpdate[] _updates;
        private readonly ChatClientMetadata _metadata = new("noop", new Uri("http://localhost/"), "noop-model");

        public NoOpChatClient(int streamLength)
        {
            _response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Paris."))
            {
                ModelId = "noop-model",
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 2, TotalTokenCount = 22 },
            };
            _updates = new ChatResponseUpdate[streamLength];
            for (var i = 0; i < streamLength - 1; i++)
            {
                _updates[i] = new ChatResponseUpdate(ChatRole.Assistant, "tok ") { ModelId = "noop-model" };
            }

            _updates[^1] = new ChatResponseUpdate
            {
                Role = ChatRole.Assistant,
                ModelId = "noop-model",
                FinishReason = ChatFinishReason.Stop,
                Contents = [new UsageContent(new UsageDetails { InputTokenCount = 20, OutputTokenCount = streamLength, TotalTokenCount = 20 + streamLength })],
            };
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(_response);

#pragma warning disable CS1998 // A synchronous stream is the point: no provider cost, only the layers'.
        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
#pragma warning restore CS1998
        {
            foreach (var update in _updates)
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata : null;

        public void Dispose()
        {
        }
    }
}
