using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Transform;

/// <summary>A chat-client layer that rewrites requests and responses (streams chunk by chunk) through a <see cref="TransformPolicy"/>.</summary>
internal sealed class TransformingChatClient : DelegatingChatClient
{
    private readonly TransformPolicy _policy;

    /// <summary>Initializes the layer.</summary>
    /// <param name="innerClient">The client to call.</param>
    /// <param name="policy">The transform policy.</param>
    public TransformingChatClient(IChatClient innerClient, TransformPolicy policy)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(_policy.TransformRequest(messages, options), options, cancellationToken).ConfigureAwait(false);
        return _policy.TransformResponse(response);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _policy.TransformStream(base.GetStreamingResponseAsync(_policy.TransformRequest(messages, options), options, cancellationToken), cancellationToken);
}
