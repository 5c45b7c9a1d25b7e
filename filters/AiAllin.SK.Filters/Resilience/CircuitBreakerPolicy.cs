using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.Timeouts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>
/// A Polly circuit breaker in front of one client. While open, calls fail at once with a transient
/// <see cref="ProviderException"/> (error code <c>circuit_open</c>, <see cref="ProviderException.RetryAfter"/> set
/// to the break's remaining time) instead of reaching the provider. Its adapter is <see cref="CircuitBreakingChatClient"/>;
/// a stream counts as succeeded once its first update arrived.
/// </summary>
/// <remarks>Each policy instance is one circuit: give each provider client its own.</remarks>
public sealed class CircuitBreakerPolicy
{
    private static readonly ResiliencePropertyKey<string> ProviderKey = new("aiallin.provider");

    private readonly Func<Exception, bool> _shouldHandle;
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates a policy; the options are validated.</summary>
    /// <param name="options">The breaker settings.</param>
    /// <param name="logger">Logs state changes; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public CircuitBreakerPolicy(CircuitBreakerOptions options, ILogger<CircuitBreakerPolicy>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var log = logger ?? (ILogger)NullLogger.Instance;
        _shouldHandle = options.ShouldHandle ?? (exception => exception is ProviderException { IsTransient: true } and not StreamInterruptedException or ChatTimeoutException);
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                StateProvider = _state,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception && _shouldHandle(exception)),
                OnOpened = args =>
                {
                    var provider = Provider(args.Context);
                    ResilienceLog.CircuitOpened(log, provider, args.BreakDuration);
                    return default;
                },
                OnHalfOpened = args =>
                {
                    var provider = Provider(args.Context);
                    ResilienceLog.CircuitHalfOpened(log, provider);
                    return default;
                },
                OnClosed = args =>
                {
                    var provider = Provider(args.Context);
                    ResilienceLog.CircuitClosed(log, provider);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Gets the circuit's state: closed (calls flow), open (refused), half-open (a probe may pass), isolated.</summary>
    public CircuitState State => _state.CircuitState;

    internal bool ShouldHandle(Exception mapped) => _shouldHandle(mapped);

    /// <summary>Runs <paramref name="action"/> through the breaker, mapping transport failures and an open circuit to <see cref="ProviderException"/>.</summary>
    internal async ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> action, string provider, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ProviderKey, provider);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
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
                (action, provider)).ConfigureAwait(false);
            if (outcome.Exception is BrokenCircuitException broken)
            {
                throw ProviderErrorMapper.Map(broken, provider, cancellationToken);
            }

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static string Provider(ResilienceContext context) => context.Properties.GetValue(ProviderKey, "unknown");

    private static void Validate(CircuitBreakerOptions options)
    {
        if (options.FailureRatio is <= 0 or > 1 || double.IsNaN(options.FailureRatio))
        {
            throw new ArgumentException($"CircuitBreakerOptions.FailureRatio must be greater than 0 and at most 1 (was {options.FailureRatio}).", nameof(options));
        }

        if (options.MinimumThroughput < 2)
        {
            throw new ArgumentException($"CircuitBreakerOptions.MinimumThroughput must be at least 2 (was {options.MinimumThroughput}).", nameof(options));
        }

        if (options.SamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            throw new ArgumentException($"CircuitBreakerOptions.SamplingDuration must be at least 0.5 s (was {options.SamplingDuration}).", nameof(options));
        }

        if (options.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            throw new ArgumentException($"CircuitBreakerOptions.BreakDuration must be at least 0.5 s (was {options.BreakDuration}).", nameof(options));
        }

        if (options.TimeProvider is null)
        {
            throw new ArgumentException("CircuitBreakerOptions.TimeProvider must not be null.", nameof(options));
        }
    }
}
