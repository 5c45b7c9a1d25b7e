using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Logging;

/// <summary>A chat-client layer that logs each model call through a <see cref="LoggingPolicy"/>.</summary>
internal sealed class AiAllinLoggingChatClient : DelegatingChatClient
{
    private readonly LoggingPolicy _policy;
    private readonly Lazy<string?> _defaultModel;

    /// <summary>Initializes the layer.</summary>
    /// <param name="innerClient">The client to call.</param>
    /// <param name="policy">The logging policy.</param>
    public AiAllinLoggingChatClient(IChatClient innerClient, LoggingPolicy policy)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _defaultModel = new(() => innerClient.GetService<ChatClientMetadata>()?.DefaultModelId);
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _policy.IsOff
            ? base.GetResponseAsync(messages, options, cancellationToken)
            : _policy.GetResponseAsync(InnerClient, _defaultModel.Value, messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _policy.IsOff
            ? base.GetStreamingResponseAsync(messages, options, cancellationToken)
            : _policy.GetStreamingResponseAsync(InnerClient, _defaultModel.Value, messages, options, cancellationToken);
    }
}
