using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>
/// Applies a <see cref="RetryPolicy"/> to an inner client. A stream is retried only while no update has reached the
/// caller; a failure after that surfaces as <see cref="StreamInterruptedException"/> (when it would have been
/// retried) so output is never repeated. Failures leave as <see cref="ProviderException"/> where they were transport errors.
/// </summary>
internal sealed class RetryingChatClient : DelegatingChatClient
{
    private readonly RetryPolicy _policy;
    private readonly ILogger _logger;
    private string? _provider;

    /// <summary>Creates the client.</summary>
    /// <param name="innerClient">The client whose calls are retried.</param>
    /// <param name="policy">The policy; it holds no per-call state and may be shared.</param>
    /// <param name="logger">Logs interrupted streams; none when <see langword="null"/>.</param>
    public RetryingChatClient(IChatClient innerClient, RetryPolicy policy, ILogger<RetryingChatClient>? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    private string Provider => _provider ??= ProviderErrorMapper.ProviderName(InnerClient.GetService<ChatClientMetadata>());

    /// <inheritdoc/>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _policy.ExecuteAsync(
            token => new ValueTask<ChatResponse>(InnerClient.GetResponseAsync(messages, options, token)),
            Provider,
            cancellationToken).AsTask();
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var provider = Provider;
        return ResilientStream.StreamAsync(
            token => _policy.ExecuteAsync(t => ResilientStream.OpenAsync(InnerClient, messages, options, provider, t), provider, token),
            provider,
            _policy.WouldRetry,
            _logger,
            cancellationToken);
    }
}
