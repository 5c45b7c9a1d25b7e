using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Filters.RateLimiting;

/// <summary>
/// Limits requests and tokens per window for each partition of callers (<see cref="PartitionedRateLimiter{TResource}"/>
/// keyed by <see cref="RateLimitOptions.PartitionKeySelector"/>), corrects the token charge from the usage the
/// provider reports, and pauses a partition when the provider answers HTTP 429 with a <c>Retry-After</c>.
/// One policy can be shared by several clients; its adapter is <see cref="RateLimitingChatClient"/>.
/// </summary>
public sealed class RateLimitPolicy : IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly PartitionedRateLimiter<string>? _requests;
    private readonly PartitionedRateLimiter<string>? _tokens;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pausedUntil = new(StringComparer.Ordinal);

    /// <summary>Creates a policy; the options are validated and copied.</summary>
    /// <param name="options">The limits.</param>
    /// <param name="logger">Logs refusals and pauses; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public RateLimitPolicy(RateLimitOptions options, ILogger<RateLimitPolicy>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = new RateLimitOptions
        {
            RequestsPerWindow = options.RequestsPerWindow,
            TokensPerWindow = options.TokensPerWindow,
            Window = options.Window,
            QueueLimit = options.QueueLimit,
            PartitionKeySelector = options.PartitionKeySelector,
            TokenEstimator = options.TokenEstimator,
            CharactersPerToken = options.CharactersPerToken,
            MaxRetryAfterPause = options.MaxRetryAfterPause,
            TimeProvider = options.TimeProvider,
        };
        _timeProvider = options.TimeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        if (options.RequestsPerWindow is { } requests)
        {
            _requests = CreateLimiter(requests);
        }

        if (options.TokensPerWindow is { } tokens)
        {
            _tokens = CreateLimiter(tokens);
        }
    }

    /// <summary>Returns the request-limit statistics of a partition, or <see langword="null"/> without a request limit.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <returns>The statistics; available permits are the requests left in the current window.</returns>
    public RateLimiterStatistics? GetRequestStatistics(string partitionKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        return _requests?.GetStatistics(partitionKey);
    }

    /// <summary>Returns the token-limit statistics of a partition, or <see langword="null"/> without a token limit.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <returns>The statistics; available permits are the tokens left in the current window.</returns>
    public RateLimiterStatistics? GetTokenStatistics(string partitionKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        return _tokens?.GetStatistics(partitionKey);
    }

    /// <summary>Returns how long a partition stays paused after a provider's <c>Retry-After</c>, or <see langword="null"/>.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <returns>The remaining pause.</returns>
    public TimeSpan? GetPause(string partitionKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        var now = _timeProvider.GetUtcNow();
        return _pausedUntil.TryGetValue(partitionKey, out var until) && until > now ? until - now : null;
    }

    /// <summary>Returns the partition key of a request, from the selector or the default <c>"{provider}/{model}/{user}"</c>.</summary>
    /// <param name="metadata">The inner client's metadata.</param>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The options.</param>
    /// <returns>The key.</returns>
    public string GetPartitionKey(ChatClientMetadata? metadata, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var user = options?.AdditionalProperties is { } properties && properties.TryGetValue(RateLimitPartitionContext.UserPropertyName, out var value)
            ? value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture)
            : null;
        var context = new RateLimitPartitionContext(metadata?.ProviderName, options?.ModelId ?? metadata?.DefaultModelId, user, messages, options);
        return _options.PartitionKeySelector?.Invoke(context) ?? context.ToDefaultKey();
    }

    /// <summary>Estimates a request's tokens with the configured estimator (by default text length / characters per token).</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The options.</param>
    /// <returns>The estimate, at least 0.</returns>
    public long EstimateTokens(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_options.TokenEstimator is { } estimator)
        {
            return Math.Max(0, estimator(messages, options));
        }

        long characters = 0;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is TextContent text)
                {
                    characters += text.Text?.Length ?? 0;
                }
            }
        }

        return (characters + _options.CharactersPerToken - 1) / _options.CharactersPerToken;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _requests?.Dispose();
        _tokens?.Dispose();
    }

    /// <summary>Waits for (or is refused) a request's permits: the provider pause first, then requests, then tokens.</summary>
    internal async ValueTask<RateLimitTicket> AcquireAsync(string partitionKey, long estimatedTokens, CancellationToken cancellationToken)
    {
        await WaitForPauseAsync(partitionKey, cancellationToken).ConfigureAwait(false);

        RateLimitLease? requestLease = null;
        if (_requests is not null)
        {
            requestLease = await _requests.AcquireAsync(partitionKey, 1, cancellationToken).ConfigureAwait(false);
            if (!requestLease.IsAcquired)
            {
                throw Refuse(partitionKey, RateLimitReason.Requests, requestLease);
            }
        }

        RateLimitLease? tokenLease = null;
        if (_tokens is not null)
        {
            var permits = (int)Math.Min(estimatedTokens, int.MaxValue);
            try
            {
                tokenLease = await _tokens.AcquireAsync(partitionKey, permits, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                GiveBack(requestLease);
                throw;
            }

            if (!tokenLease.IsAcquired)
            {
                // The request never went out: it should not use up the partition's request count.
                GiveBack(requestLease);
                throw Refuse(partitionKey, RateLimitReason.Tokens, tokenLease);
            }
        }

        return new RateLimitTicket(this, partitionKey, requestLease, tokenLease);
    }

    /// <summary>Pauses the partition when the provider throttled it with a <c>Retry-After</c>.</summary>
    internal void ObserveFailure(string partitionKey, Exception exception)
    {
        if (exception is not ProviderException { StatusCode: HttpStatusCode.TooManyRequests, RetryAfter: { } retryAfter } || _options.MaxRetryAfterPause <= TimeSpan.Zero)
        {
            return;
        }

        var pause = retryAfter < _options.MaxRetryAfterPause ? retryAfter : _options.MaxRetryAfterPause;
        var until = _timeProvider.GetUtcNow() + pause;
        _pausedUntil.AddOrUpdate(partitionKey, until, (_, current) => current > until ? current : until);
        RateLimitLog.Paused(_logger, partitionKey, pause);
    }

    internal void LogCorrection(string partitionKey, long estimated, long actual) => RateLimitLog.TokensCorrected(_logger, partitionKey, estimated, actual);

    private static void GiveBack(RateLimitLease? lease)
    {
        if (lease is WindowRateLimitLease window)
        {
            window.CorrectTo(0);
        }

        lease?.Dispose();
    }

    private static void Validate(RateLimitOptions options)
    {
        if (options.RequestsPerWindow is null && options.TokensPerWindow is null)
        {
            throw new ArgumentException("RateLimitOptions needs RequestsPerWindow or TokensPerWindow (or both).", nameof(options));
        }

        if (options.RequestsPerWindow is < 1)
        {
            throw new ArgumentException($"RateLimitOptions.RequestsPerWindow must be at least 1 (was {options.RequestsPerWindow}).", nameof(options));
        }

        if (options.TokensPerWindow is < 1)
        {
            throw new ArgumentException($"RateLimitOptions.TokensPerWindow must be at least 1 (was {options.TokensPerWindow}).", nameof(options));
        }

        if (options.Window <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RateLimitOptions.Window must be positive (was {options.Window}).", nameof(options));
        }

        if (options.QueueLimit < 0)
        {
            throw new ArgumentException($"RateLimitOptions.QueueLimit must be 0 or more (was {options.QueueLimit}).", nameof(options));
        }

        if (options.CharactersPerToken < 1)
        {
            throw new ArgumentException($"RateLimitOptions.CharactersPerToken must be at least 1 (was {options.CharactersPerToken}).", nameof(options));
        }

        if (options.MaxRetryAfterPause < TimeSpan.Zero)
        {
            throw new ArgumentException($"RateLimitOptions.MaxRetryAfterPause must not be negative (was {options.MaxRetryAfterPause}).", nameof(options));
        }

        if (options.TimeProvider is null)
        {
            throw new ArgumentException("RateLimitOptions.TimeProvider must not be null.", nameof(options));
        }
    }

    private PartitionedRateLimiter<string> CreateLimiter(long permitLimit)
        => PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.Get(
            key,
            _ => new WindowRateLimiter(permitLimit, _options.Window, _options.QueueLimit, _timeProvider)));

    private async ValueTask WaitForPauseAsync(string partitionKey, CancellationToken cancellationToken)
    {
        while (_pausedUntil.TryGetValue(partitionKey, out var until))
        {
            var remaining = until - _timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                _pausedUntil.TryRemove(new KeyValuePair<string, DateTimeOffset>(partitionKey, until));
                continue;
            }

            if (_options.QueueLimit == 0)
            {
                RateLimitLog.Rejected(_logger, partitionKey, RateLimitReason.ProviderRetryAfter, remaining);
                throw new RateLimitExceededException(partitionKey, RateLimitReason.ProviderRetryAfter, remaining);
            }

            RateLimitLog.Waiting(_logger, partitionKey, remaining);
            await Task.Delay(remaining, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private RateLimitExceededException Refuse(string partitionKey, RateLimitReason reason, RateLimitLease lease)
    {
        TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;
        lease.Dispose();
        RateLimitLog.Rejected(_logger, partitionKey, reason, retryAfter);
        return new RateLimitExceededException(partitionKey, reason, retryAfter);
    }
}
