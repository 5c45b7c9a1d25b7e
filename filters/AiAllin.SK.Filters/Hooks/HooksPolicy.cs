using AiAllin.SK.Filters.Pipeline;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using FunctionInvocationContext = Microsoft.SemanticKernel.FunctionInvocationContext;

namespace AiAllin.SK.Filters.Hooks;

/// <summary>Runs the user hooks of <see cref="HookOptions"/> around model calls, SK function calls, prompt renders and tool calls.</summary>
public sealed class HooksPolicy
{
    /// <summary>Initializes the policy.</summary>
    /// <param name="options">The hooks; at least one should be set.</param>
    public HooksPolicy(HookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>Gets the hooks.</summary>
    public HookOptions Options { get; }

    internal async Task<ChatResponse> GetResponseAsync(
        IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var context = new ChatHookContext([.. messages], options, isStreaming: false);
        if (Options.BeforeChat is { } before)
        {
            await before(context, cancellationToken).ConfigureAwait(false);
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            context.Response = await inner.GetResponseAsync(context.Messages, context.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            context.Exception = ex;
            context.Elapsed = Stopwatch.GetElapsedTime(start);
            if (Options.AfterChat is { } afterFailed)
            {
                await afterFailed(context, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        context.Elapsed = Stopwatch.GetElapsedTime(start);
        if (Options.AfterChat is { } after)
        {
            await after(context, cancellationToken).ConfigureAwait(false);
        }

        return context.Response;
    }

    internal IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        ObservedStream.ReadAsync(new ChatStreamHooks(Options, inner, new ChatHookContext([.. messages], options, isStreaming: true)), cancellationToken);

    internal async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        if (Options.BeforeFunction is { } before)
        {
            await before(context).ConfigureAwait(false);
        }

        await next(context).ConfigureAwait(false);
        if (context.IsStreaming && (Options.OnFunctionChunk is not null || Options.AfterFunction is not null)
            && FunctionResultStreams.TryWrap(context, new FunctionStreamHooks(this, context)))
        {
            return;
        }

        if (Options.AfterFunction is { } after)
        {
            await after(context).ConfigureAwait(false);
        }
    }

    internal async Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        await next(context).ConfigureAwait(false);
        if (Options.AfterPromptRender is { } after)
        {
            await after(context).ConfigureAwait(false);
        }
    }

    internal async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        if (Options.BeforeToolCall is { } before)
        {
            await before(context).ConfigureAwait(false);
        }

        await next(context).ConfigureAwait(false);
        if (Options.AfterToolCall is { } after)
        {
            await after(context).ConfigureAwait(false);
        }
    }

    private sealed class ChatStreamHooks(HookOptions hooks, IChatClient inner, ChatHookContext context) : StreamObserver<ChatResponseUpdate>
    {
        private readonly Action<ChatHookContext, ChatResponseUpdate>? _onUpdate = hooks.OnChatUpdate;
        private readonly Func<ChatHookContext, CancellationToken, ValueTask>? _after = hooks.AfterChat;

        // Updates are kept only when an after hook wants the composed response; each is still handed on at once.
        private readonly List<ChatResponseUpdate>? _delivered = hooks.AfterChat is null ? null : [];
        private long _start;
        private CancellationToken _cancellationToken;

        public override async ValueTask<IAsyncEnumerator<ChatResponseUpdate>> OpenAsync(CancellationToken cancellationToken)
        {
            _cancellationToken = cancellationToken;
            if (hooks.BeforeChat is { } before)
            {
                await before(context, cancellationToken).ConfigureAwait(false);
            }

            _start = Stopwatch.GetTimestamp();

            // An inner layer may refuse the call before returning a stream (validation does).
            return inner.GetStreamingResponseAsync(context.Messages, context.Options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }

        public override void OnItem(ChatResponseUpdate item)
        {
            context.UpdateCount++;
            _onUpdate?.Invoke(context, item);
            _delivered?.Add(item);
        }

        public override ValueTask OnFailedAsync(Exception exception)
        {
            context.Exception = exception;
            return RunAfterAsync(CancellationToken.None);
        }

        public override ValueTask OnCompletedAsync() => RunAfterAsync(_cancellationToken);

        private ValueTask RunAfterAsync(CancellationToken cancellationToken)
        {
            if (_after is null)
            {
                return default;
            }

            context.Elapsed = Stopwatch.GetElapsedTime(_start);
            context.Response = _delivered!.ToChatResponse();
            return _after(context, cancellationToken);
        }
    }

    private sealed class FunctionStreamHooks(HooksPolicy policy, FunctionInvocationContext context) : IFunctionStreamWrapper
    {
        public IAsyncEnumerable<T> Wrap<T>(IAsyncEnumerable<T> source) => ObservedStream.ReadAsync(new Observer<T>(policy.Options, context, source));

        private sealed class Observer<T>(HookOptions hooks, FunctionInvocationContext context, IAsyncEnumerable<T> source) : StreamObserver<T>
        {
            private readonly Action<FunctionInvocationContext, object>? _onChunk = hooks.OnFunctionChunk;

            public override ValueTask<IAsyncEnumerator<T>> OpenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(source.GetAsyncEnumerator(cancellationToken));

            public override void OnItem(T item)
            {
                if (_onChunk is not null && item is not null)
                {
                    _onChunk(context, item);
                }
            }

            public override async ValueTask OnCompletedAsync()
            {
                if (hooks.AfterFunction is { } after)
                {
                    await after(context).ConfigureAwait(false);
                }
            }
        }
    }
}
