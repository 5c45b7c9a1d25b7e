using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>
/// Applies a <see cref="CircuitBreakerPolicy"/> to an inner client. While the circuit is open, calls fail at once
/// with a transient <see cref="ProviderException"/> (<c>circuit_open</c>) so an outer retry or fallback can react.
/// A stream is recorded as succeeded at its first update; a later failure surfaces as
/// <see cref="StreamInterruptedException"/> when the breaker would have counted it.
/// </summary>
internal sealed class CircuitBreakingChatClient : DelegatingChatClient
{
    private readonly CircuitBreakerPolicy _policy;
    private readonly ILogger _logger;
    private string? _provider;

    /// <summary>Creates the client.</summary>
    /// <param name="innerClient">The client to protect.</param>
    /// <param name="policy">The policy; it is this client's circuit.</param>
    /// <param name="logger">Logs interrupted streams; none when <see langword="null"/>.</param>
    public CircuitBreakingChatClient(IChatClient innerClient, CircuitBreakerPolicy policy, ILogger<CircuitBreakingChatClient>? logger = null)
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
            _policy.ShouldHandle,
            _logger,
            cancellationToken);
    }
}
