using System.Globalization;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Streaming;

/// <summary>
/// A streamed response failed (a provider error, a malformed chunk, a timeout) after part of it had reached the
/// callback. It carries what was delivered; the failure is the <see cref="Exception.InnerException"/>. The caller's
/// own cancellation is never wrapped: it stays an <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class ChatStreamException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public ChatStreamException()
        : this("The streamed response failed.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public ChatStreamException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChatStreamException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a stream that failed after <paramref name="deliveredCount"/> deliveries.</summary>
    /// <param name="partialText">The answer text the callback received.</param>
    /// <param name="deliveredCount">How many deliveries the callback received.</param>
    /// <param name="partialResponse">The response aggregated from the updates received before the failure.</param>
    /// <param name="innerException">The failure.</param>
    public ChatStreamException(string partialText, int deliveredCount, ChatResponse partialResponse, Exception innerException)
        : base(
            string.Create(
                CultureInfo.InvariantCulture,
                $"The streamed response failed after {deliveredCount} deliveries ({partialText.Length} characters of answer text): {innerException?.Message}"),
            innerException)
    {
        ArgumentNullException.ThrowIfNull(partialText);
        ArgumentNullException.ThrowIfNull(partialResponse);
        PartialText = partialText;
        DeliveredCount = deliveredCount;
        PartialResponse = partialResponse;
    }

    /// <summary>Gets the answer text the callback received before the failure.</summary>
    public string PartialText { get; } = string.Empty;

    /// <summary>Gets how many deliveries the callback received before the failure.</summary>
    public int DeliveredCount { get; }

    /// <summary>Gets the response aggregated from the updates received before the failure (text, tool calls and results, usage).</summary>
    public ChatResponse PartialResponse { get; } = new();
}
