using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.RateLimiting;
using AiAllin.SK.Filters.Timeouts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>
/// Sends a failed call to a second client and/or model. A stream falls back only while none of its updates reached
/// the caller. Its adapter is <see cref="FallbackChatClient"/>.
/// </summary>
/// <remarks>
/// The fallback is a plain try-then-try-other rather than a Polly fallback strategy: the fallback call needs the
/// original messages and options (with another model), and the streaming case must switch enumerators, which a
/// result-typed Polly pipeline does not express more simply.
/// </remarks>
public sealed class FallbackPolicy
{
    private static readonly AsyncLocal<bool> InFallback = new();

    private readonly Func<Exception, bool> _shouldFallback;
    private readonly ILogger _logger;

    /// <summary>Creates a policy; the options are validated.</summary>
    /// <param name="options">The fallback settings.</param>
    /// <param name="logger">Logs each fallback; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The options name no fallback client, key or model.</exception>
    public FallbackPolicy(FallbackOptions options, ILogger<FallbackPolicy>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.FallbackClient is null && options.FallbackClientKey is null && string.IsNullOrWhiteSpace(options.FallbackModelId))
        {
            throw new ArgumentException("FallbackOptions needs FallbackClient, FallbackClientKey or FallbackModelId.", nameof(options));
        }

        if (options.FallbackClient is not null && options.FallbackClientKey is not null)
        {
            throw new ArgumentException("FallbackOptions.FallbackClient and FallbackOptions.FallbackClientKey are exclusive; set one.", nameof(options));
        }

        FallbackClient = options.FallbackClient;
        FallbackClientKey = options.FallbackClientKey;
        FallbackModelId = string.IsNullOrWhiteSpace(options.FallbackModelId) ? null : options.FallbackModelId;
        _shouldFallback = options.ShouldFallback ?? FallsBackByDefault;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    internal IChatClient? FallbackClient { get; }

    internal object? FallbackClientKey { get; }

    internal string? FallbackModelId { get; }

    internal ILogger Logger => _logger;

    /// <summary>Gets whether the current call already is a fallback call; nested fallback layers then pass through.</summary>
    internal static bool IsInFallback => InFallback.Value;

    internal bool ShouldFallback(Exception mapped, CancellationToken cancellationToken)
        => !(mapped is OperationCanceledException && cancellationToken.IsCancellationRequested)
           && mapped is not StreamInterruptedException
           && _shouldFallback(mapped);

    internal ChatOptions? FallbackOptionsFor(ChatOptions? options)
    {
        if (FallbackModelId is null)
        {
            return options;
        }

        var copy = options?.Clone() ?? new ChatOptions();
        copy.ModelId = FallbackModelId;
        return copy;
    }

    /// <summary>Marks the current async flow as a fallback call until disposed.</summary>
    internal static Scope EnterFallback()
    {
        var previous = InFallback.Value;
        InFallback.Value = true;
        return new Scope(previous);
    }

    private static bool FallsBackByDefault(Exception exception) => exception is ProviderException or RateLimitExceededException or ChatTimeoutException;

    internal readonly struct Scope(bool previous) : IDisposable
    {
        public void Dispose() => InFallback.Value = previous;
    }
}
