using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Caching;

/// <summary>A chat client that answers similar requests from a <see cref="SemanticCachePolicy"/>.</summary>
internal sealed class SemanticCachingChatClient : DelegatingChatClient
{
    private readonly SemanticCachePolicy _policy;

    /// <summary>Initializes a new instance of the <see cref="SemanticCachingChatClient"/> class.</summary>
    /// <param name="innerClient">The client answering misses.</param>
    /// <param name="policy">The cache.</param>
    public SemanticCachingChatClient(IChatClient innerClient, SemanticCachePolicy policy)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _policy.GetResponseAsync(InnerClient, messages, options, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _policy.GetStreamingResponseAsync(InnerClient, messages, options, cancellationToken);

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(SemanticCachePolicy) ? _policy : base.GetService(serviceType, serviceKey);
    }
}
