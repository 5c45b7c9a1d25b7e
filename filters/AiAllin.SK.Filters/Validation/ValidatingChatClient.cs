using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Validation;

/// <summary>A chat-client layer that validates each request with a <see cref="ValidationPolicy"/> and never calls the inner client for a rejected one.</summary>
internal sealed class ValidatingChatClient : DelegatingChatClient
{
    private readonly ValidationPolicy _policy;
    private readonly Lazy<string?> _defaultModel;

    /// <summary>Initializes the layer.</summary>
    /// <param name="innerClient">The client to call.</param>
    /// <param name="policy">The validation policy.</param>
    public ValidatingChatClient(IChatClient innerClient, ValidationPolicy policy)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _defaultModel = new(() => innerClient.GetService<ChatClientMetadata>()?.DefaultModelId);
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = Validate(messages, options);
        return base.GetResponseAsync(list, options, cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Rejected at the call, before anyone enumerates: a stream that is never read is still refused.
        var list = Validate(messages, options);
        return base.GetStreamingResponseAsync(list, options, cancellationToken);
    }

    private IReadOnlyList<ChatMessage> Validate(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        _policy.Validate(list, options?.ModelId ?? _defaultModel.Value);
        return list;
    }
}
