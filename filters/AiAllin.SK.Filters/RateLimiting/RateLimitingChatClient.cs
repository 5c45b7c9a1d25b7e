using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.RateLimiting;

/// <summary>
/// Applies a <see cref="RateLimitPolicy"/> to an inner client: each request takes its permits before it is sent,
/// is charged its reported token usage afterwards (for a stream, from the usage update at its end), and a provider's
/// HTTP 429 <c>Retry-After</c> pauses the request's partition.
/// </summary>
internal sealed class RateLimitingChatClient : DelegatingChatClient
{
    private readonly RateLimitPolicy _policy;
    private ChatClientMetadata? _metadata;

    /// <summary>Creates the client.</summary>
    /// <param name="innerClient">The client to limit.</param>
    /// <param name="policy">The policy; it may be shared with other clients, which then share its partitions.</param>
    public RateLimitingChatClient(IChatClient innerClient, RateLimitPolicy policy)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
    }

    private ChatClientMetadata? Metadata => _metadata ??= InnerClient.GetService<ChatClientMetadata>();

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var key = _policy.GetPartitionKey(Metadata, messages, options);
        using var ticket = await _policy.AcquireAsync(key, _policy.EstimateTokens(messages, options), cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            ticket.CorrectTokens(response.Usage);
            return response;
        }
        catch (Exception exception)
        {
            _policy.ObserveFailure(key, exception);
            throw;
        }
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var key = _policy.GetPartitionKey(Metadata, messages, options);
        using var ticket = await _policy.AcquireAsync(key, _policy.EstimateTokens(messages, options), cancellationToken).ConfigureAwait(false);
        UsageDetails? usage = null;
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception exception)
                {
                    _policy.ObserveFailure(key, exception);
                    throw;
                }

                var update = updates.Current;
                var contents = update.Contents;
                for (var i = 0; i < contents.Count; i++)
                {
                    if (contents[i] is UsageContent { Details: { } details })
                    {
                        if (usage is null)
                        {
                            usage = new UsageDetails();
                        }

                        usage.Add(details);
                    }
                }

                yield return update;
            }
        }

        ticket.CorrectTokens(usage);
    }
}
