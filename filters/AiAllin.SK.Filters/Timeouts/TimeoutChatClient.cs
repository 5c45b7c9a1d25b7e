using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Timeouts;

/// <summary>A chat-client layer that enforces the limits of a <see cref="TimeoutPolicy"/>.</summary>
internal sealed class TimeoutChatClient : DelegatingChatClient
{
    private readonly TimeoutPolicy _policy;

    /// <summary>Initializes the layer.</summary>
    /// <param name="innerClient">The client to call.</param>
    /// <param name="policy">The timeout policy.</param>
    public TimeoutChatClient(IChatClient innerClient, TimeoutPolicy policy)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _policy.GetResponseAsync(InnerClient, messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _policy.GetStreamingResponseAsync(InnerClient, messages, options, cancellationToken);
    }
}
