using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Caching;

/// <summary>A chat client that answers repeated requests from a <see cref="CachePolicy"/> (exact-match cache).</summary>
internal sealed class ResponseCachingChatClient : DelegatingChatClient
{
    private readonly CachePolicy _policy;

    /// <summary>Initializes a new instance of the <see cref="ResponseCachingChatClient"/> class.</summary>
    /// <param name="innerClient">The client answering misses.</param>
    /// <param name="policy">The cache.</param>
    public ResponseCachingChatClient(IChatClient innerClient, CachePolicy policy)
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
        return serviceKey is null && serviceType == typeof(CachePolicy) ? _policy : base.GetService(serviceType, serviceKey);
    }
}
