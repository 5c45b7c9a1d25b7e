using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Hooks;

/// <summary>A chat-client layer that runs the <see cref="HooksPolicy"/> hooks around each model call.</summary>
internal sealed class HookingChatClient : DelegatingChatClient
{
    private readonly HooksPolicy _policy;

    /// <summary>Initializes the layer.</summary>
    /// <param name="innerClient">The client to call.</param>
    /// <param name="policy">The hooks.</param>
    public HookingChatClient(IChatClient innerClient, HooksPolicy policy)
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
