using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Metrics;

/// <summary>A chat-client layer that records GenAI metrics and spans for each model call through a <see cref="MetricsPolicy"/>.</summary>
internal sealed class MetricsChatClient : DelegatingChatClient
{
    private readonly MetricsPolicy _policy;
    private readonly Lazy<ChatClientMetadata?> _metadata;

    /// <summary>Initializes the layer.</summary>
    /// <param name="innerClient">The client to call.</param>
    /// <param name="policy">The metrics policy.</param>
    public MetricsChatClient(IChatClient innerClient, MetricsPolicy policy)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _metadata = new(() => innerClient.GetService<ChatClientMetadata>());
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _policy.IsObserved
            ? _policy.GetResponseAsync(InnerClient, _metadata.Value, messages, options, cancellationToken)
            : base.GetResponseAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _policy.IsObserved
            ? _policy.GetStreamingResponseAsync(InnerClient, _metadata.Value, messages, options, cancellationToken)
            : base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }
}
