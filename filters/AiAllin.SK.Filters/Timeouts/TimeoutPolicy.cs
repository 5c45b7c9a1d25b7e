using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.Pipeline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using FunctionInvocationContext = Microsoft.SemanticKernel.FunctionInvocationContext;

namespace AiAllin.SK.Filters.Timeouts;

/// <summary>
/// Total, time-to-first-token and idle-between-tokens limits. A passed limit cancels the token handed to the inner
/// client (so an HTTP request is aborted and its connection released) and surfaces as a
/// <see cref="ChatTimeoutException"/> naming the limit; the caller's own cancellation stays an
/// <see cref="OperationCanceledException"/>.
/// </summary>
public sealed partial class TimeoutPolicy
{
    private readonly TimeoutOptions _options;
    private readonly ILogger _logger;

    /// <summary>Initializes the policy.</summary>
    /// <param name="options">The limits; validated here.</param>
    /// <param name="logger">Logs each timeout; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public TimeoutPolicy(TimeoutOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    internal async Task<ChatResponse> GetResponseAsync(IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        if (_options.Total is null)
        {
            return await inner.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        using var scope = new TimeoutScope(_options, streaming: false, cancellationToken);
        try
        {
            return await inner.GetResponseAsync(messages, options, scope.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (scope.Fired is { } limit && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(scope, limit, "chat call", ex);
        }
    }

    internal IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        new TimeoutStream(this, _options, inner, messages, options, cancellationToken);

    internal async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        if (!_options.ApplyToFunctions)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var operation = $"function {context.Function.PluginName}.{context.Function.Name}";
        if (context.IsStreaming)
        {
            await next(context).ConfigureAwait(false);
            FunctionResultStreams.TryWrap(context, new FunctionStreamTimeout(this, operation, context.CancellationToken));
            return;
        }

        if (_options.Total is not { } total)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // SK gives a filter no way to hand the function a new token, so a native function that overruns is
        // abandoned here; prompt functions are also cancelled for real by the chat layer.
        try
        {
            await next(context).WaitAsync(total, _options.TimeProvider, context.CancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex) when (ex is not ChatTimeoutException)
        {
            LogTimedOut(_logger, operation, TimeoutLimit.Total, total.TotalSeconds);
            throw new ChatTimeoutException(TimeoutLimit.Total, total, operation, ex);
        }
    }

    [LoggerMessage(EventId = AiAllinEventIds.TimeoutExceeded, Level = LogLevel.Warning, Message = "The {Operation} exceeded its {Limit} limit of {Seconds} s")]
    private static partial void LogTimedOut(ILogger logger, string operation, TimeoutLimit limit, double seconds);

    internal ChatTimeoutException TimedOut(TimeoutScope scope, TimeoutLimit limit, string operation, Exception cause)
    {
        var value = scope.ValueOf(limit);
        LogTimedOut(_logger, operation, limit, value.TotalSeconds);
        return new ChatTimeoutException(limit, value, operation, cause);
    }

    private sealed class FunctionStreamTimeout(TimeoutPolicy policy, string operation, CancellationToken cancellationToken) : IFunctionStreamWrapper
    {
        public async IAsyncEnumerable<T> Wrap<T>(IAsyncEnumerable<T> source)
        {
            using var scope = new TimeoutScope(policy._options, streaming: true, cancellationToken);
            var enumerator = source.GetAsyncEnumerator(scope.Token);
            Task<bool>? abandoned = null;
            try
            {
                while (true)
                {
                    T item;
                    scope.BeginWait();
                    var move = enumerator.MoveNextAsync();
                    try
                    {
                        bool more;
                        if (move.IsCompleted)
                        {
                            more = move.Result;
                        }
                        else
                        {
                            // SK may not pass this token on to the function, so the wait itself is bounded too.
                            var pending = move.AsTask();
                            abandoned = pending;
                            more = await pending.WaitAsync(scope.Token).ConfigureAwait(false);
                            abandoned = null;
                        }

                        if (!more)
                        {
                            break;
                        }

                        item = enumerator.Current;
                    }
                    catch (Exception ex) when (scope.Fired is { } limit && !cancellationToken.IsCancellationRequested)
                    {
                        throw policy.TimedOut(scope, limit, operation, ex);
                    }

                    scope.EndWait();
                    yield return item;
                }
            }
            finally
            {
                if (abandoned is { IsCompleted: false })
                {
                    // An async iterator refuses DisposeAsync while a MoveNextAsync is running (SK's streams throw
                    // NotSupportedException), which would replace the timeout or the caller's cancellation; the
                    // stream is disposed once the abandoned read ends (it saw the cancelled token if SK passed it on).
                    _ = DisposeAfterAsync(abandoned, enumerator);
                }
                else
                {
                    await enumerator.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        private static async Task DisposeAfterAsync<T>(Task<bool> abandoned, IAsyncEnumerator<T> enumerator)
        {
            try
            {
                await abandoned.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The read was abandoned by a timeout or a cancellation that the caller already got; its own failure has no reader.
            }

            try
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Nobody awaits this clean-up; a failure to dispose an abandoned stream must not become an unobserved task exception.
            }
        }
    }
}
