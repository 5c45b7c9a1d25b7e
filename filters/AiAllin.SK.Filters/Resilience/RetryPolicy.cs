using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.ChatClients;
using AiAllin.SK.Filters.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>
/// Retries failed calls the way Core's <c>ProviderRetryHandler</c> does: Polly's exponential backoff with jitter
/// (a <see cref="ResiliencePipeline"/> with <see cref="RetryStrategyOptions"/>), and a <c>DelayGenerator</c> only for
/// a provider's <c>Retry-After</c>, which is waited for instead when given (up to <see cref="RetryOptions.MaxRetryAfter"/>).
/// Transport failures of the inner client become <see cref="ProviderException"/>. Its adapter is
/// <see cref="RetryingChatClient"/>; a stream is retried only until its first update arrives.
/// </summary>
/// <remarks>
/// Each attempt runs inside an <see cref="OuterRetryScope"/>, so an AiAllin provider's own HTTP retry sends the
/// request once and the attempts are not multiplied (with the defaults, 4 requests at most instead of 12).
/// </remarks>
public sealed class RetryPolicy
{
    private static readonly ResiliencePropertyKey<string> ProviderKey = new("aiallin.provider");

    private readonly RetryOptions _options;
    private readonly Func<Exception, bool> _shouldRetry;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates a policy; the options are validated and read once.</summary>
    /// <param name="options">The retry settings.</param>
    /// <param name="logger">Logs each retry; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public RetryPolicy(RetryOptions options, ILogger<RetryPolicy>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = new RetryOptions
        {
            MaxRetries = options.MaxRetries,
            BaseDelay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            UseJitter = options.UseJitter,
            MaxRetryAfter = options.MaxRetryAfter,
            ShouldRetry = options.ShouldRetry,
            TimeProvider = options.TimeProvider,
        };
        _shouldRetry = options.ShouldRetry ?? IsRetriableByDefault;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _pipeline = options.MaxRetries == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider }
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    Delay = options.BaseDelay,
                    MaxDelay = options.MaxDelay,
                    UseJitter = options.UseJitter,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception && ShouldRetry(exception, Provider(args.Context))),
                    DelayGenerator = args => ValueTask.FromResult(AnnouncedDelay(args.Outcome.Exception)),
                    OnRetry = args =>
                    {
                        ResilienceLog.RetryScheduled(_logger, Provider(args.Context), args.Outcome.Exception?.GetType().Name ?? "none", args.AttemptNumber + 1, _options.MaxRetries, args.RetryDelay);
                        return default;
                    },
                })
                .Build();
    }

    /// <summary>Returns whether a (mapped) failure would be retried: the predicate holds and its <c>Retry-After</c> is short enough.</summary>
    internal bool WouldRetry(Exception exception)
        => _shouldRetry(exception) && !(ProviderErrorMapper.RetryAfter(exception) is { } retryAfter && retryAfter > _options.MaxRetryAfter);

    private bool ShouldRetry(Exception exception, string provider)
    {
        if (WouldRetry(exception))
        {
            return true;
        }

        if (_shouldRetry(exception) && ProviderErrorMapper.RetryAfter(exception) is { } retryAfter)
        {
            ResilienceLog.RetryAfterTooLong(_logger, provider, retryAfter, _options.MaxRetryAfter);
        }

        return false;
    }

    // The failure's Retry-After when it announced one; otherwise null, so Polly's backoff applies.
    private static TimeSpan? AnnouncedDelay(Exception? exception)
        => exception is not null && ProviderErrorMapper.RetryAfter(exception) is { } retryAfter && retryAfter >= TimeSpan.Zero
            ? retryAfter
            : null;

    /// <summary>Runs <paramref name="action"/> under the retry pipeline, mapping transport failures first.</summary>
    internal async ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> action, string provider, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ProviderKey, provider);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    using var retriedHere = state.retries ? OuterRetryScope.Begin() : null;
                    try
                    {
                        return Outcome.FromResult(await state.action(ctx.CancellationToken).ConfigureAwait(ctx.ContinueOnCapturedContext));
                    }
                    catch (Exception exception)
                    {
                        return Outcome.FromException<T>(ProviderErrorMapper.Map(exception, state.provider, ctx.CancellationToken));
                    }
                },
                context,
                (action, provider, retries: _options.MaxRetries > 0)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static string Provider(ResilienceContext context) => context.Properties.GetValue(ProviderKey, "unknown");

    private static bool IsRetriableByDefault(Exception exception)
        => exception is ProviderException { IsTransient: true } or RateLimitExceededException;

    private static void Validate(RetryOptions options)
    {
        if (options.MaxRetries < 0)
        {
            throw new ArgumentException($"RetryOptions.MaxRetries must be 0 or more (was {options.MaxRetries}).", nameof(options));
        }

        if (options.BaseDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"RetryOptions.BaseDelay must not be negative (was {options.BaseDelay}).", nameof(options));
        }

        if (options.MaxDelay < options.BaseDelay)
        {
            throw new ArgumentException($"RetryOptions.MaxDelay must be at least BaseDelay (was {options.MaxDelay}, BaseDelay {options.BaseDelay}).", nameof(options));
        }

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            throw new ArgumentException($"RetryOptions.MaxRetryAfter must not be negative (was {options.MaxRetryAfter}).", nameof(options));
        }

        if (options.TimeProvider is null)
        {
            throw new ArgumentException("RetryOptions.TimeProvider must not be null.", nameof(options));
        }
    }
}
