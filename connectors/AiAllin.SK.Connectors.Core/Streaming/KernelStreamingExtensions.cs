using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Core.Streaming;

/// <summary>
/// Streams a kernel prompt or function to a callback and returns the whole response: SK's
/// <c>InvokePromptStreamingAsync</c> / <c>InvokeStreamingAsync</c> with the kernel's filters, plugins and auto function
/// calling, read as <see cref="ChatResponseUpdate"/>s.
/// </summary>
/// <remarks>
/// The kernel's chat service must be an <see cref="IChatClient"/> (every AiAllin.SK provider registers one). Tool calls
/// made with <c>FunctionChoiceBehavior.Auto()</c> reach the callback as <see cref="StreamPhase.ToolCall"/> and
/// <see cref="StreamPhase.ToolResult"/> deliveries between the model's turns. Callback exceptions, cancellation and
/// stream failures behave as for <see cref="ChatClientStreamingExtensions"/>.
/// </remarks>
public static class KernelStreamingExtensions
{
    /// <summary>Renders and streams a prompt to <paramref name="onToken"/>, returning the whole response.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="promptTemplate">The prompt template.</param>
    /// <param name="onToken">Called for each delivery, in order; the next delivery waits for the returned task.</param>
    /// <param name="arguments">The arguments, with execution settings (for example <c>FunctionChoiceBehavior.Auto()</c>).</param>
    /// <param name="buffering">How text is grouped; <see langword="null"/> for <see cref="StreamBuffering.PerToken"/>.</param>
    /// <param name="cancellationToken">A token to stop the stream.</param>
    /// <returns>The aggregated response.</returns>
    /// <exception cref="ChatStreamException">The stream failed; what was delivered is on the exception.</exception>
    public static Task<ChatResponse> StreamPromptAsync(
        this Kernel kernel,
        string promptTemplate,
        Func<StreamToken, CancellationToken, ValueTask> onToken,
        KernelArguments? arguments = null,
        StreamBuffering? buffering = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentException.ThrowIfNullOrWhiteSpace(promptTemplate);
        ArgumentNullException.ThrowIfNull(onToken);
        var updates = kernel.InvokePromptStreamingAsync<ChatResponseUpdate>(promptTemplate, arguments, cancellationToken: cancellationToken);
        return TokenStreamer.RunAsync(updates, onToken, buffering, cancellationToken);
    }

    /// <summary>Renders and streams a prompt to a synchronous <paramref name="onToken"/>, returning the whole response.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="promptTemplate">The prompt template.</param>
    /// <param name="onToken">Called for each delivery, in order.</param>
    /// <param name="arguments">The arguments, with execution settings (for example <c>FunctionChoiceBehavior.Auto()</c>).</param>
    /// <param name="buffering">How text is grouped; <see langword="null"/> for <see cref="StreamBuffering.PerToken"/>.</param>
    /// <param name="cancellationToken">A token to stop the stream.</param>
    /// <returns>The aggregated response.</returns>
    /// <exception cref="ChatStreamException">The stream failed; what was delivered is on the exception.</exception>
    public static Task<ChatResponse> StreamPromptAsync(
        this Kernel kernel,
        string promptTemplate,
        Action<StreamToken> onToken,
        KernelArguments? arguments = null,
        StreamBuffering? buffering = null,
        CancellationToken cancellationToken = default) =>
        kernel.StreamPromptAsync(promptTemplate, TokenStreamer.Adapt(onToken), arguments, buffering, cancellationToken);

    /// <summary>Streams a kernel function (a prompt function) to <paramref name="onToken"/>, returning the whole response.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="function">The function.</param>
    /// <param name="onToken">Called for each delivery, in order; the next delivery waits for the returned task.</param>
    /// <param name="arguments">The arguments, with execution settings.</param>
    /// <param name="buffering">How text is grouped; <see langword="null"/> for <see cref="StreamBuffering.PerToken"/>.</param>
    /// <param name="cancellationToken">A token to stop the stream.</param>
    /// <returns>The aggregated response.</returns>
    /// <exception cref="ChatStreamException">The stream failed; what was delivered is on the exception.</exception>
    public static Task<ChatResponse> StreamFunctionAsync(
        this Kernel kernel,
        KernelFunction function,
        Func<StreamToken, CancellationToken, ValueTask> onToken,
        KernelArguments? arguments = null,
        StreamBuffering? buffering = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(onToken);
        var updates = function.InvokeStreamingAsync<ChatResponseUpdate>(kernel, arguments, cancellationToken);
        return TokenStreamer.RunAsync(updates, onToken, buffering, cancellationToken);
    }

    /// <summary>Streams a kernel function (a prompt function) to a synchronous <paramref name="onToken"/>, returning the whole response.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="function">The function.</param>
    /// <param name="onToken">Called for each delivery, in order.</param>
    /// <param name="arguments">The arguments, with execution settings.</param>
    /// <param name="buffering">How text is grouped; <see langword="null"/> for <see cref="StreamBuffering.PerToken"/>.</param>
    /// <param name="cancellationToken">A token to stop the stream.</param>
    /// <returns>The aggregated response.</returns>
    /// <exception cref="ChatStreamException">The stream failed; what was delivered is on the exception.</exception>
    public static Task<ChatResponse> StreamFunctionAsync(
        this Kernel kernel,
        KernelFunction function,
        Action<StreamToken> onToken,
        KernelArguments? arguments = null,
        StreamBuffering? buffering = null,
        CancellationToken cancellationToken = default) =>
        kernel.StreamFunctionAsync(function, TokenStreamer.Adapt(onToken), arguments, buffering, cancellationToken);
}
