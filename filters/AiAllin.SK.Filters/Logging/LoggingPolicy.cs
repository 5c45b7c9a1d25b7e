using AiAllin.SK.Filters.Pipeline;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using TextContent = Microsoft.Extensions.AI.TextContent;
using FunctionInvocationContext = Microsoft.SemanticKernel.FunctionInvocationContext;

namespace AiAllin.SK.Filters.Logging;

/// <summary>
/// Structured logging of model calls (request size, response model, duration, finish reason, token usage, tool calls),
/// SK function calls, rendered prompts and automatic tool calls. Bodies are logged only when
/// <see cref="LoggingOptions.LogBodies"/> is set; everything logged is passed through <see cref="SecretRedactor"/>
/// and <see cref="LoggingOptions.RedactionPatterns"/>. Exceptions are logged by type and redacted message only,
/// never as objects, because their <c>ToString()</c> may carry secrets from inner exceptions.
/// </summary>
public sealed class LoggingPolicy
{
    private const string Chat = "chat";
    private const string Stream = "stream";
    private const string UnknownModel = "(default model)";

    private readonly ILogger _logger;
    private readonly string?[] _secrets;
    private readonly Regex[] _patterns;
    private readonly bool _logBodies;
    private readonly int _maxBodyLength;

    /// <summary>Initializes the policy.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public LoggingPolicy(LoggingOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _logger = logger;
        _secrets = [.. options.Secrets];
        _patterns = [.. options.RedactionPatterns];
        _logBodies = options.LogBodies;
        _maxBodyLength = options.MaxBodyLength;
    }

    /// <summary>
    /// Gets a value indicating whether the logger takes none of the policy's events (all are Warning or lower), so
    /// calls pass straight through at no cost.
    /// </summary>
    internal bool IsOff => !_logger.IsEnabled(LogLevel.Warning);

    /// <summary>Returns <paramref name="text"/> with secrets and the configured patterns masked, cut to the maximum body length.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text safe to log.</returns>
    public string Redact(string? text)
    {
        var result = SecretRedactor.Redact(text, _secrets);
        foreach (var pattern in _patterns)
        {
            result = pattern.Replace(result, SecretRedactor.Mask);
        }

        return result.Length <= _maxBodyLength ? result : string.Concat(result.AsSpan(0, _maxBodyLength), "…");
    }

    internal async Task<ChatResponse> GetResponseAsync(
        IChatClient inner, string? defaultModel, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var model = options?.ModelId ?? defaultModel ?? UnknownModel;
        messages = LogRequest(Chat, model, messages, options);
        var start = Stopwatch.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await inner.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogFailure(Chat, model, start, ex, cancellationToken);
            throw;
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            var elapsed = Ms(start);
            var responseModel = response.ModelId ?? model;
            var finish = response.FinishReason?.Value ?? "none";
            var usage = response.Usage;
            LoggingLog.ChatResponseReceived(_logger, Chat, model, responseModel, elapsed, finish, usage?.InputTokenCount, usage?.OutputTokenCount, 0);
            foreach (var message in response.Messages)
            {
                foreach (var content in message.Contents)
                {
                    if (content is FunctionCallContent call)
                    {
                        LogToolCall(model, call);
                    }
                }
            }

            if (_logBodies)
            {
                var body = Redact(response.Text);
                LoggingLog.ChatResponseBody(_logger, model, body);
            }
        }

        return response;
    }

    internal IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IChatClient inner, string? defaultModel, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        ObservedStream.ReadAsync(new ChatStreamLogger(this, inner, options?.ModelId ?? defaultModel ?? UnknownModel, messages, options), cancellationToken);

    internal async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        var plugin = context.Function.PluginName ?? string.Empty;
        var name = context.Function.Name;
        LoggingLog.FunctionInvoking(_logger, plugin, name, context.IsStreaming);
        if (_logBodies && _logger.IsEnabled(LogLevel.Information))
        {
            var arguments = Redact(FormatArguments(context.Arguments));
            LoggingLog.FunctionArguments(_logger, plugin, name, arguments);
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var elapsed = Ms(start);
            var (type, message) = Describe(ex);
            LoggingLog.FunctionFailed(_logger, plugin, name, elapsed, type, message);
            throw;
        }

        if (context.IsStreaming && FunctionResultStreams.TryWrap(context, new FunctionStreamLogger(this, plugin, name, start)))
        {
            return;
        }

        var duration = Ms(start);
        LoggingLog.FunctionInvoked(_logger, plugin, name, duration, false, 0);
        if (_logBodies && _logger.IsEnabled(LogLevel.Information))
        {
            var result = Redact(context.Result.ToString());
            LoggingLog.FunctionResultBody(_logger, plugin, name, result);
        }
    }

    internal async Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        await next(context).ConfigureAwait(false);
        var plugin = context.Function.PluginName ?? string.Empty;
        var prompt = context.RenderedPrompt ?? string.Empty;
        var name = context.Function.Name;
        LoggingLog.PromptRendered(_logger, plugin, name, prompt.Length);
        if (_logBodies && _logger.IsEnabled(LogLevel.Information))
        {
            var body = Redact(prompt);
            LoggingLog.PromptBody(_logger, plugin, name, body);
        }
    }

    internal async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        var plugin = context.Function.PluginName ?? string.Empty;
        var name = context.Function.Name;
        var callId = context.ToolCallId ?? string.Empty;
        var requestIndex = context.RequestSequenceIndex;
        var functionIndex = context.FunctionSequenceIndex;
        LoggingLog.ToolInvoking(_logger, plugin, name, callId, requestIndex, functionIndex);
        if (_logBodies && _logger.IsEnabled(LogLevel.Information))
        {
            var arguments = Redact(FormatArguments(context.Arguments));
            LoggingLog.ToolArguments(_logger, plugin, name, arguments);
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var elapsed = Ms(start);
            var (type, message) = Describe(ex);
            LoggingLog.ToolFailed(_logger, plugin, name, elapsed, type, message);
            throw;
        }

        var duration = Ms(start);
        var terminate = context.Terminate;
        LoggingLog.ToolInvoked(_logger, plugin, name, duration, terminate);
        if (_logBodies && _logger.IsEnabled(LogLevel.Information))
        {
            var result = Redact(context.Result.ToString());
            LoggingLog.ToolResultBody(_logger, plugin, name, result);
        }
    }

    private static double Ms(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    private static string FormatArguments(KernelArguments? arguments)
    {
        if (arguments is null || arguments.Count == 0)
        {
            return "{}";
        }

        var text = new StringBuilder("{");
        foreach (var (key, value) in arguments)
        {
            text.Append(text.Length > 1 ? ", " : string.Empty).Append(key).Append('=').Append(value);
        }

        return text.Append('}').ToString();
    }

    private static string FormatArguments(IDictionary<string, object?>? arguments) =>
        arguments is null || arguments.Count == 0 ? "{}" : "{" + string.Join(", ", arguments.Select(a => $"{a.Key}={a.Value}")) + "}";

    private IEnumerable<ChatMessage> LogRequest(string operation, string model, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (!_logger.IsEnabled(LogLevel.Debug) && !(_logBodies && _logger.IsEnabled(LogLevel.Information)))
        {
            return messages;
        }

        // Counted twice below: a lazily produced sequence is materialized once so the inner client sees the same messages.
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var characters = 0;
        foreach (var message in list)
        {
            foreach (var content in message.Contents)
            {
                if (content is TextContent text)
                {
                    characters += text.Text.Length;
                }
            }
        }

        var toolCount = options?.Tools?.Count ?? 0;
        LoggingLog.ChatRequestStarting(_logger, operation, model, list.Count, characters, toolCount);
        if (_logBodies && _logger.IsEnabled(LogLevel.Information))
        {
            var body = new StringBuilder();
            foreach (var message in list)
            {
                body.Append(body.Length > 0 ? "\n" : string.Empty).Append(message.Role.Value).Append(": ").Append(message.Text);
            }

            var text = Redact(body.ToString());
            LoggingLog.ChatRequestBody(_logger, model, text);
        }

        return list;
    }

    private void LogToolCall(string model, FunctionCallContent call)
    {
        var arguments = _logBodies ? Redact(FormatArguments(call.Arguments)) : "(not logged)";
        LoggingLog.ChatToolCallRequested(_logger, model, call.Name, call.CallId, arguments);
    }

    private (string Type, string Message) Describe(Exception ex) => (ex.GetType().FullName ?? ex.GetType().Name, Redact(ex.Message));

    private void LogFailure(string operation, string model, long start, Exception ex, CancellationToken cancellationToken)
    {
        var elapsed = Ms(start);
        if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            LoggingLog.ChatCancelled(_logger, operation, model, elapsed);
            return;
        }

        var (type, message) = Describe(ex);
        LoggingLog.ChatFailed(_logger, operation, model, elapsed, type, message);
    }

    private sealed class ChatStreamLogger(LoggingPolicy policy, IChatClient inner, string model, IEnumerable<ChatMessage> messages, ChatOptions? options)
        : StreamObserver<ChatResponseUpdate>
    {
        private readonly bool _info = policy._logger.IsEnabled(LogLevel.Information);
        private StringBuilder? _body;
        private long _start;
        private int _count;
        private string? _responseModel;
        private ChatFinishReason? _finish;
        private UsageDetails? _usage;
        private CancellationToken _cancellationToken;

        public override ValueTask<IAsyncEnumerator<ChatResponseUpdate>> OpenAsync(CancellationToken cancellationToken)
        {
            _cancellationToken = cancellationToken;
            var logged = policy.LogRequest(Stream, model, messages, options);
            _body = _info && policy._logBodies ? new StringBuilder() : null;
            _start = Stopwatch.GetTimestamp();

            // An inner layer may refuse the call before returning a stream (validation does).
            return ValueTask.FromResult(inner.GetStreamingResponseAsync(logged, options, cancellationToken).GetAsyncEnumerator(cancellationToken));
        }

        public override void OnItem(ChatResponseUpdate item)
        {
            var logger = policy._logger;
            if (_count++ == 0 && logger.IsEnabled(LogLevel.Debug))
            {
                var elapsed = Ms(_start);
                LoggingLog.ChatFirstToken(logger, model, elapsed);
            }

            if (!_info)
            {
                return;
            }

            _responseModel ??= item.ModelId;
            _finish ??= item.FinishReason;
            var contents = item.Contents;
            for (var i = 0; i < contents.Count; i++)
            {
                switch (contents[i])
                {
                    case TextContent text when _body is not null:
                        _body.Append(text.Text);
                        break;
                    case UsageContent u:
                        _usage = u.Details;
                        break;
                    case FunctionCallContent call:
                        policy.LogToolCall(model, call);
                        break;
                }
            }
        }

        public override ValueTask OnFailedAsync(Exception exception)
        {
            policy.LogFailure(Stream, model, _start, exception, _cancellationToken);
            return default;
        }

        // The consumer stopped reading early: still worth a line.
        public override void OnAbandoned()
        {
            var elapsed = Ms(_start);
            LoggingLog.ChatCancelled(policy._logger, Stream, model, elapsed);
        }

        public override ValueTask OnCompletedAsync()
        {
            if (_info)
            {
                var logger = policy._logger;
                var elapsed = Ms(_start);
                var finishReason = _finish?.Value ?? "none";
                LoggingLog.ChatResponseReceived(logger, Stream, model, _responseModel ?? model, elapsed, finishReason, _usage?.InputTokenCount, _usage?.OutputTokenCount, _count);
                if (_body is not null)
                {
                    var text = policy.Redact(_body.ToString());
                    LoggingLog.ChatResponseBody(logger, model, text);
                }
            }

            return default;
        }
    }

    private sealed class FunctionStreamLogger(LoggingPolicy policy, string plugin, string name, long start) : IFunctionStreamWrapper
    {
        public IAsyncEnumerable<T> Wrap<T>(IAsyncEnumerable<T> source) => ObservedStream.ReadAsync(new Observer<T>(policy, plugin, name, start, source));

        private sealed class Observer<T>(LoggingPolicy policy, string plugin, string name, long start, IAsyncEnumerable<T> source) : StreamObserver<T>
        {
            private readonly StringBuilder? _body = policy._logBodies && policy._logger.IsEnabled(LogLevel.Information) ? new StringBuilder() : null;
            private int _count;

            public override ValueTask<IAsyncEnumerator<T>> OpenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(source.GetAsyncEnumerator(cancellationToken));

            public override void OnItem(T item)
            {
                _count++;
                _body?.Append(FunctionResultStreams.TextOf(item));
            }

            public override ValueTask OnFailedAsync(Exception exception)
            {
                var (type, message) = policy.Describe(exception);
                var elapsed = Ms(start);
                LoggingLog.FunctionFailed(policy._logger, plugin, name, elapsed, type, message);
                return default;
            }

            public override ValueTask OnCompletedAsync()
            {
                var duration = Ms(start);
                LoggingLog.FunctionInvoked(policy._logger, plugin, name, duration, true, _count);
                if (_body is not null)
                {
                    var result = policy.Redact(_body.ToString());
                    LoggingLog.FunctionResultBody(policy._logger, plugin, name, result);
                }

                return default;
            }
        }
    }
}
