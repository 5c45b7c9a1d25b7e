using AiAllin.SK.Filters.Pipeline;
using System.Diagnostics;
using System.Runtime.CompilerServices;
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

    internal async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var context = new ChatHookContext([.. messages], options, isStreaming: true);
        if (Options.BeforeChat is { } before)
        {
            await before(context, cancellationToken).ConfigureAwait(false);
        }

        var onUpdate = Options.OnChatUpdate;
        var after = Options.AfterChat;

        // Updates are kept only when an after hook wants the composed response; each is still yielded at once.
        var delivered = after is null ? null : new List<ChatResponseUpdate>();
        var start = Stopwatch.GetTimestamp();
        IAsyncEnumerator<ChatResponseUpdate> enumerator;
        try
        {
            // An inner layer may refuse the call before returning a stream (validation does).
            enumerator = inner.GetStreamingResponseAsync(context.Messages, context.Options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex) when (after is not null)
        {
            context.Exception = ex;
            await RunAfterStreamAsync(after, context, delivered!, start, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = enumerator.Current;
                }
                catch (Exception ex) when (after is not null)
                {
                    context.Exception = ex;
                    await RunAfterStreamAsync(after, context, delivered!, start, CancellationToken.None).ConfigureAwait(false);
                    throw;
                }

                context.UpdateCount++;
                onUpdate?.Invoke(context, update);
                delivered?.Add(update);
                yield return update;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }

        if (after is not null)
        {
            await RunAfterStreamAsync(after, context, delivered!, start, cancellationToken).ConfigureAwait(false);
        }
    }

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

    private static async Task RunAfterStreamAsync(
        Func<ChatHookContext, CancellationToken, ValueTask> after, ChatHookContext context, List<ChatResponseUpdate> delivered, long start, CancellationToken cancellationToken)
    {
        context.Elapsed = Stopwatch.GetElapsedTime(start);
        context.Response = delivered.ToChatResponse();
        await after(context, cancellationToken).ConfigureAwait(false);
    }

    private sealed class FunctionStreamHooks(HooksPolicy policy, FunctionInvocationContext context) : IFunctionStreamWrapper
    {
        public async IAsyncEnumerable<T> Wrap<T>(IAsyncEnumerable<T> source)
        {
            var onChunk = policy.Options.OnFunctionChunk;
            await foreach (var item in source.ConfigureAwait(false))
            {
                if (onChunk is not null && item is not null)
                {
                    onChunk(context, item);
                }

                yield return item;
            }

            if (policy.Options.AfterFunction is { } after)
            {
                await after(context).ConfigureAwait(false);
            }
        }
    }
}
