using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Hooks;

/// <summary>
/// What a chat hook sees of one model call: the messages and options about to be sent (a before hook may change
/// them), and afterwards the response, the error and the elapsed time.
/// </summary>
public sealed class ChatHookContext
{
    private Dictionary<string, object?>? _items;

    internal ChatHookContext(List<ChatMessage> messages, ChatOptions? options, bool isStreaming)
    {
        Messages = messages;
        Options = options;
        IsStreaming = isStreaming;
    }

    /// <summary>Gets the messages sent to the model; a before hook may add, remove or replace messages.</summary>
    public IList<ChatMessage> Messages { get; }

    /// <summary>Gets or sets the options sent to the model; a before hook may replace them.</summary>
    public ChatOptions? Options { get; set; }

    /// <summary>Gets a value indicating whether the call streams.</summary>
    public bool IsStreaming { get; }

    /// <summary>
    /// Gets the response (after hooks only); for a stream it is composed from the updates delivered, so a stream
    /// stopped early by the caller has the part that was delivered.
    /// </summary>
    public ChatResponse? Response { get; internal set; }

    /// <summary>Gets the failure, when the call failed or was cancelled (after hooks only).</summary>
    public Exception? Exception { get; internal set; }

    /// <summary>Gets the time the call took (after hooks only).</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Gets the number of streamed updates delivered so far.</summary>
    public int UpdateCount { get; internal set; }

    /// <summary>Gets a bag for state a before hook hands to the after hook of the same call.</summary>
    public IDictionary<string, object?> Items => _items ??= [];
}
