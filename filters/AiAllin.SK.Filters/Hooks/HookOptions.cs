using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using FunctionInvocationContext = Microsoft.SemanticKernel.FunctionInvocationContext;

namespace AiAllin.SK.Filters.Hooks;

/// <summary>
/// User delegates run before and after each model call (chat layer) and each SK function call, prompt render and
/// automatic tool call. Every delegate is optional; a hook that throws fails the call.
/// </summary>
public sealed class HookOptions
{
    /// <summary>Gets or sets the delegate run before each model call; it may edit <see cref="ChatHookContext.Messages"/> and <see cref="ChatHookContext.Options"/>.</summary>
    public Func<ChatHookContext, CancellationToken, ValueTask>? BeforeChat { get; set; }

    /// <summary>Gets or sets the delegate run after each model call, successful or not, with the response or the error.</summary>
    public Func<ChatHookContext, CancellationToken, ValueTask>? AfterChat { get; set; }

    /// <summary>Gets or sets the delegate run for each streamed update, before the caller receives it.</summary>
    public Action<ChatHookContext, ChatResponseUpdate>? OnChatUpdate { get; set; }

    /// <summary>Gets or sets the delegate run before each SK function invocation (arguments in <see cref="FunctionInvocationContext.Arguments"/>).</summary>
    public Func<FunctionInvocationContext, ValueTask>? BeforeFunction { get; set; }

    /// <summary>
    /// Gets or sets the delegate run after each SK function invocation: with <see cref="FunctionInvocationContext.Result"/>
    /// (its <see cref="FunctionResult.RenderedPrompt"/> for prompt functions); for streaming invocations it runs
    /// when the stream ends.
    /// </summary>
    public Func<FunctionInvocationContext, ValueTask>? AfterFunction { get; set; }

    /// <summary>Gets or sets the delegate run for each streamed chunk of an SK function (a string or an SK streaming content).</summary>
    public Action<FunctionInvocationContext, object>? OnFunctionChunk { get; set; }

    /// <summary>Gets or sets the delegate run after a prompt was rendered; it may change <see cref="PromptRenderContext.RenderedPrompt"/>.</summary>
    public Func<PromptRenderContext, ValueTask>? AfterPromptRender { get; set; }

    /// <summary>Gets or sets the delegate run before each automatic tool (function) call the model asked for.</summary>
    public Func<AutoFunctionInvocationContext, ValueTask>? BeforeToolCall { get; set; }

    /// <summary>Gets or sets the delegate run after each automatic tool call, with its result.</summary>
    public Func<AutoFunctionInvocationContext, ValueTask>? AfterToolCall { get; set; }
}
