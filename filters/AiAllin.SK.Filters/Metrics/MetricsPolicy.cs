using AiAllin.SK.Filters.Pipeline;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using FunctionInvocationContext = Microsoft.SemanticKernel.FunctionInvocationContext;
using TextContent = Microsoft.Extensions.AI.TextContent;

namespace AiAllin.SK.Filters.Metrics;

/// <summary>
/// <see cref="System.Diagnostics.Metrics"/> instruments and spans with the OpenTelemetry GenAI semantic-convention
/// names as Microsoft.Extensions.AI's <c>OpenTelemetryChatClient</c> uses them: <c>gen_ai.client.operation.duration</c>
/// (with <c>error.type</c> on failures), <c>gen_ai.client.token.usage</c> (<c>gen_ai.token.type</c> input/output),
/// <c>gen_ai.client.operation.time_to_first_chunk</c> and <c>gen_ai.client.operation.time_per_output_chunk</c> for
/// streams, spans <c>chat {model}</c> and <c>execute_tool {name}</c>; and this package's own measurements under
/// <c>aiallin.</c>: <c>aiallin.client.time_per_output_token</c> and <c>aiallin.client.output_tokens_per_second</c>
/// (from reported usage) and <c>aiallin.sk.function.invocation.duration</c> for SK functions. Meter and activity
/// source are both named <see cref="SourceName"/>. An instrument nobody listens to costs nothing per update.
/// </summary>
/// <remarks>
/// Streams that report no usage are counted by text updates for the per-token rates (an approximation; most
/// providers send usage at the end of a stream when asked).
/// </remarks>
public sealed class MetricsPolicy : IDisposable
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string SourceName = "AiAllin.SK.Filters";

    private readonly bool _ownsMeter;
    private readonly ActivitySource _source;
    private readonly Histogram<double> _duration;
    private readonly Histogram<int> _tokens;
    private readonly Histogram<double> _timeToFirstChunk;
    private readonly Histogram<double> _timePerOutputChunk;
    private readonly Histogram<double> _timePerOutputToken;
    private readonly Histogram<double> _tokensPerSecond;
    private readonly Histogram<double> _functionDuration;

    /// <summary>Initializes the policy.</summary>
    /// <param name="options">The options.</param>
    /// <param name="meterFactory">Creates the meter (as the host's DI does); <see langword="null"/> creates a meter owned by the policy.</param>
    public MetricsPolicy(MetricsOptions options, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Meter = meterFactory?.Create(SourceName) ?? new Meter(SourceName);
        _ownsMeter = meterFactory is null;
        _source = new ActivitySource(SourceName);
        var durations = new InstrumentAdvice<double> { HistogramBucketBoundaries = GenAiNames.DurationBuckets };
        _duration = Meter.CreateHistogram(GenAiNames.OperationDuration, "s", "GenAI operation duration.", advice: durations);
        _tokens = Meter.CreateHistogram(GenAiNames.TokenUsage, "{token}", "Number of input and output tokens used.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = GenAiNames.TokenBuckets });
        _timeToFirstChunk = Meter.CreateHistogram(GenAiNames.TimeToFirstChunk, "s", "Time to receive the first chunk of a streamed response, seen by the client.", advice: durations);
        _timePerOutputChunk = Meter.CreateHistogram(GenAiNames.TimePerOutputChunk, "s", "Time between streamed chunks after the first one, seen by the client.", advice: durations);
        _timePerOutputToken = Meter.CreateHistogram<double>(GenAiNames.TimePerOutputToken, "s", "Mean time per output token after the first chunk, from the reported output tokens.");
        _tokensPerSecond = Meter.CreateHistogram<double>(GenAiNames.OutputTokensPerSecond, "{token}/s", "Output tokens per second after the first chunk, from the reported output tokens.");
        _functionDuration = Meter.CreateHistogram(GenAiNames.FunctionDuration, "s", "Semantic Kernel function invocation duration.", advice: durations);
    }

    /// <summary>Gets the options.</summary>
    public MetricsOptions Options { get; }

    /// <summary>Gets the meter the instruments belong to.</summary>
    public Meter Meter { get; }

    /// <summary>
    /// Gets a value indicating whether any listener takes the chat instruments or spans; when none does, calls pass
    /// straight through (checked per call, so a listener attached later is served from the next call on).
    /// </summary>
    internal bool IsObserved =>
        _duration.Enabled || _tokens.Enabled || _timeToFirstChunk.Enabled || _timePerOutputChunk.Enabled || _timePerOutputToken.Enabled || _tokensPerSecond.Enabled
        || (Options.EnableTracing && _source.HasListeners());

    /// <inheritdoc />
    public void Dispose()
    {
        _source.Dispose();
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    internal async Task<ChatResponse> GetResponseAsync(
        IChatClient inner, ChatClientMetadata? metadata, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var call = new CallInfo(this, metadata, options);
        using var activity = call.StartActivity();
        var start = Stopwatch.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await inner.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            call.RecordFailure(activity, Stopwatch.GetElapsedTime(start), ex);
            throw;
        }

        call.RecordSuccess(activity, Stopwatch.GetElapsedTime(start), response.ModelId, response.Usage, response.FinishReason, response.ResponseId, firstToken: null, 0);
        return response;
    }

    internal IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IChatClient inner, ChatClientMetadata? metadata, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        ObservedStream.ReadAsync(new ChatStreamMeter(new CallInfo(this, metadata, options), inner, messages, options), cancellationToken);

    internal async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        if (!Options.MeasureFunctions)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RecordFunction(context, start, ErrorTypeOf(ex));
            throw;
        }

        if (context.IsStreaming && FunctionResultStreams.TryWrap(context, new FunctionStreamMeter(this, context, start)))
        {
            return;
        }

        RecordFunction(context, start, null);
    }

    internal async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        if (!Options.MeasureFunctions)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var tool = context.Function.Name;
        using var activity = Options.EnableTracing && _source.HasListeners()
            ? _source.StartActivity($"{GenAiNames.ExecuteTool} {tool}", ActivityKind.Internal)
            : null;
        activity?.SetTag(GenAiNames.OperationName, GenAiNames.ExecuteTool).SetTag(GenAiNames.ToolName, tool).SetTag(GenAiNames.ToolCallId, context.ToolCallId);
        var start = Stopwatch.GetTimestamp();
        string? error = null;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ErrorTypeOf(ex);
            activity?.SetTag(GenAiNames.ErrorType, error).SetStatus(ActivityStatusCode.Error, SecretRedactor.Redact(ex.Message));
            throw;
        }
        finally
        {
            var tags = new TagList
            {
                { GenAiNames.OperationName, GenAiNames.ExecuteTool },
                { GenAiNames.ToolName, tool },
            };
            if (error is not null)
            {
                tags.Add(GenAiNames.ErrorType, error);
            }

            _duration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, tags);
        }
    }

    private static string ErrorTypeOf(Exception ex) =>
        ex is ProviderException { StatusCode: { } status }
            ? ((int)status).ToString(CultureInfo.InvariantCulture)
            : ex.GetType().FullName ?? ex.GetType().Name;

    private void RecordFunction(FunctionInvocationContext context, long start, string? error)
    {
        var tags = new TagList
        {
            { GenAiNames.FunctionName, context.Function.Name },
            { GenAiNames.PluginName, context.Function.PluginName },
            { GenAiNames.Streaming, context.IsStreaming },
        };
        if (error is not null)
        {
            tags.Add(GenAiNames.ErrorType, error);
        }

        _functionDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, tags);
    }

    /// <summary>The per-call facts every measurement of a model call is tagged with.</summary>
    private readonly struct CallInfo(MetricsPolicy policy, ChatClientMetadata? metadata, ChatOptions? options)
    {
        private readonly string? _provider = policy.Options.ProviderName ?? metadata?.ProviderName;
        private readonly string? _requestModel = options?.ModelId ?? metadata?.DefaultModelId;
        private readonly string? _address = metadata?.ProviderUri?.Host;
        private readonly int? _port = metadata?.ProviderUri?.Port;

        public Activity? StartActivity(bool streaming = false)
        {
            if (!policy.Options.EnableTracing || !policy._source.HasListeners())
            {
                return null;
            }

            var activity = policy._source.StartActivity(_requestModel is null ? GenAiNames.Chat : $"{GenAiNames.Chat} {_requestModel}", ActivityKind.Client);
            activity?.SetTag(GenAiNames.OperationName, GenAiNames.Chat)
                .SetTag(GenAiNames.ProviderName, _provider)
                .SetTag(GenAiNames.RequestModel, _requestModel)
                .SetTag(GenAiNames.ServerAddress, _address)
                .SetTag(GenAiNames.ServerPort, _address is null ? null : _port);
            if (streaming)
            {
                activity?.SetTag(GenAiNames.RequestStream, true);
            }

            return activity;
        }

        public void RecordFailure(Activity? activity, TimeSpan elapsed, Exception ex)
        {
            var error = ErrorTypeOf(ex);
            if (policy._duration.Enabled)
            {
                var tags = Tags(null);
                tags.Add(GenAiNames.ErrorType, error);
                policy._duration.Record(elapsed.TotalSeconds, tags);
            }

            activity?.SetTag(GenAiNames.ErrorType, error).SetStatus(ActivityStatusCode.Error, SecretRedactor.Redact(ex.Message));
        }

        public void RecordSuccess(
            Activity? activity, TimeSpan elapsed, string? responseModel, UsageDetails? usage, ChatFinishReason? finish, string? responseId, TimeSpan? firstToken, int textUpdates)
        {
            var tags = Tags(responseModel);
            if (policy._duration.Enabled)
            {
                policy._duration.Record(elapsed.TotalSeconds, tags);
            }

            if (policy._tokens.Enabled && usage?.InputTokenCount is { } input)
            {
                var inputTags = tags;
                inputTags.Add(GenAiNames.TokenType, GenAiNames.Input);
                policy._tokens.Record((int)input, inputTags);
            }

            if (policy._tokens.Enabled && usage?.OutputTokenCount is { } output)
            {
                var outputTags = tags;
                outputTags.Add(GenAiNames.TokenType, GenAiNames.Output);
                policy._tokens.Record((int)output, outputTags);
            }

            if (firstToken is { } ttft)
            {
                if (policy._timeToFirstChunk.Enabled)
                {
                    policy._timeToFirstChunk.Record(ttft.TotalSeconds, tags);
                }

                var produced = usage?.OutputTokenCount ?? textUpdates;
                var generation = (elapsed - ttft).TotalSeconds;
                if (produced > 1 && generation > 0)
                {
                    if (policy._timePerOutputToken.Enabled)
                    {
                        policy._timePerOutputToken.Record(generation / (produced - 1), tags);
                    }

                    if (policy._tokensPerSecond.Enabled)
                    {
                        policy._tokensPerSecond.Record((produced - 1) / generation, tags);
                    }
                }
            }

            if (activity is not null)
            {
                activity.SetTag(GenAiNames.ResponseModel, responseModel)
                    .SetTag(GenAiNames.ResponseId, responseId)
                    .SetTag(GenAiNames.UsageInputTokens, (int?)usage?.InputTokenCount)
                    .SetTag(GenAiNames.UsageOutputTokens, (int?)usage?.OutputTokenCount);
                if (finish is { } reason)
                {
                    activity.SetTag(GenAiNames.FinishReasons, $"[\"{reason.Value.ToLowerInvariant()}\"]");
                }

                if (firstToken is { } first)
                {
                    activity.SetTag(GenAiNames.ResponseTimeToFirstChunk, first.TotalSeconds);
                }
            }
        }

        private TagList Tags(string? responseModel)
        {
            var tags = new TagList
            {
                { GenAiNames.OperationName, GenAiNames.Chat },
                { GenAiNames.RequestModel, _requestModel },
            };
            if (_provider is not null)
            {
                tags.Add(GenAiNames.ProviderName, _provider);
            }

            if (responseModel is not null)
            {
                tags.Add(GenAiNames.ResponseModel, responseModel);
            }

            if (_address is not null)
            {
                tags.Add(GenAiNames.ServerAddress, _address);

                tags.Add(GenAiNames.ServerPort, _port);
            }

            return tags;
        }

        /// <summary>Records the time since the previous chunk, when someone listens.</summary>
        public void RecordChunkGap(TimeSpan gap, in TagList tags) => policy._timePerOutputChunk.Record(gap.TotalSeconds, tags);

        /// <summary>Gets whether per-chunk gaps are listened to; checked once per stream.</summary>
        public bool MeasuresChunkGaps => policy._timePerOutputChunk.Enabled;

        /// <summary>Gets the tags of a chunk measurement.</summary>
        public TagList ChunkTags(string? responseModel) => Tags(responseModel);
    }

    private sealed class ChatStreamMeter(CallInfo call, IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? options)
        : StreamObserver<ChatResponseUpdate>
    {
        private Activity? _activity;
        private long _start;
        private TimeSpan? _firstToken;
        private string? _responseModel;
        private string? _responseId;
        private ChatFinishReason? _finish;
        private UsageDetails? _usage;
        private int _textUpdates;
        private bool _measureGaps;
        private long _lastChunk;
        private TagList _chunkTags;

        // Not an async method: the span started here stays current for the inner client's reads.
        public override ValueTask<IAsyncEnumerator<ChatResponseUpdate>> OpenAsync(CancellationToken cancellationToken)
        {
            _activity = call.StartActivity(streaming: true);
            _measureGaps = call.MeasuresChunkGaps;
            _start = Stopwatch.GetTimestamp();

            // An inner layer may refuse the call before returning a stream (validation does).
            return ValueTask.FromResult(inner.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken));
        }

        public override void OnItem(ChatResponseUpdate item)
        {
            if (_firstToken is null)
            {
                var now = Stopwatch.GetTimestamp();
                _firstToken = Stopwatch.GetElapsedTime(_start, now);
                if (_measureGaps)
                {
                    _lastChunk = now;
                    _chunkTags = call.ChunkTags(item.ModelId);
                }
            }
            else if (_measureGaps)
            {
                var now = Stopwatch.GetTimestamp();
                call.RecordChunkGap(Stopwatch.GetElapsedTime(_lastChunk, now), _chunkTags);
                _lastChunk = now;
            }

            _responseModel ??= item.ModelId;
            _responseId ??= item.ResponseId;
            _finish ??= item.FinishReason;
            var contents = item.Contents;
            for (var i = 0; i < contents.Count; i++)
            {
                var content = contents[i];
                if (content is TextContent)
                {
                    _textUpdates++;
                }
                else if (content is UsageContent u)
                {
                    _usage = u.Details;
                }
            }
        }

        public override ValueTask OnFailedAsync(Exception exception)
        {
            call.RecordFailure(_activity, Stopwatch.GetElapsedTime(_start), exception);
            _activity?.Dispose();
            return default;
        }

        public override void OnAbandoned() => _activity?.Dispose();

        public override ValueTask OnCompletedAsync()
        {
            call.RecordSuccess(_activity, Stopwatch.GetElapsedTime(_start), _responseModel, _usage, _finish, _responseId, _firstToken, _textUpdates);
            _activity?.Dispose();
            return default;
        }
    }

    private sealed class FunctionStreamMeter(MetricsPolicy policy, FunctionInvocationContext context, long start) : IFunctionStreamWrapper
    {
        public IAsyncEnumerable<T> Wrap<T>(IAsyncEnumerable<T> source) => ObservedStream.ReadAsync(new Observer<T>(policy, context, start, source));

        private sealed class Observer<T>(MetricsPolicy policy, FunctionInvocationContext context, long start, IAsyncEnumerable<T> source) : StreamObserver<T>
        {
            public override ValueTask<IAsyncEnumerator<T>> OpenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(source.GetAsyncEnumerator(cancellationToken));

            public override void OnItem(T item)
            {
            }

            public override ValueTask OnFailedAsync(Exception exception)
            {
                policy.RecordFunction(context, start, ErrorTypeOf(exception));
                return default;
            }

            public override ValueTask OnCompletedAsync()
            {
                policy.RecordFunction(context, start, null);
                return default;
            }
        }
    }
}
