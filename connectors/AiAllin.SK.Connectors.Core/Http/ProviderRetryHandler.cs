using System.Net;
using AiAllin.SK.Connectors.Core.ChatClients;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace AiAllin.SK.Connectors.Core.Http;

/// <summary>
/// Sends a provider request again after a transient failure, the way every AiAllin connector promises: 408, 425, 429,
/// 500, 502, 503, 504, 529 and connection failures are retried up to <see cref="ProviderOptions.MaxRetries"/> times,
/// waiting the announced <c>Retry-After</c> when there is one and exponential backoff with jitter otherwise.
/// </summary>
/// <remarks>
/// <para>
/// A <c>Retry-After</c> longer than <see cref="ProviderOptions.MaxRetryDelay"/> is not waited for: the failed response
/// goes back to the caller at once, so the connector raises a <see cref="ProviderException"/> carrying
/// <see cref="ProviderException.RetryAfter"/> and the caller (or a rate limiter) decides, instead of a request sleeping
/// for an hour. A 429 whose error code says the quota is exhausted (<c>insufficient_quota</c>) is not retried either:
/// waiting will not help.
/// </para>
/// <para>
/// The decision is taken on the status line and headers only, so a streamed response is never retried once its body
/// began. The request content is buffered before the first attempt so it can be sent again. Put this handler under
/// the SDK's <see cref="HttpClient"/> and turn the SDK's own retry loop off.
/// </para>
/// <para>
/// When a layer above the provider retries the whole call (the filter pack's retry marks each attempt with
/// <see cref="OuterRetryScope"/>), the request is sent once: that layer's attempts are the only ones, so they are
/// not multiplied by these.
/// </para>
/// </remarks>
public sealed partial class ProviderRetryHandler : DelegatingHandler
{
    private const int MaxInspectedErrorBody = 64 * 1024;
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(500);

    private readonly string _provider;
    private readonly TimeSpan _maxRetryDelay;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Creates the handler from a provider's options.</summary>
    /// <param name="provider">The provider name, for logs.</param>
    /// <param name="options">The options; <see cref="ProviderOptions.MaxRetries"/> and <see cref="ProviderOptions.MaxRetryDelay"/> are read once.</param>
    /// <param name="logger">Logs each scheduled retry; never the request or its headers.</param>
    /// <param name="timeProvider">The clock for delays; <see cref="TimeProvider.System"/> by default.</param>
    public ProviderRetryHandler(string provider, ProviderOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
        : this(provider, (options ?? throw new ArgumentNullException(nameof(options))).MaxRetries, options.MaxRetryDelay, logger, timeProvider)
    {
    }

    /// <summary>Creates the handler.</summary>
    /// <param name="provider">The provider name, for logs.</param>
    /// <param name="maxRetries">How many times a request is sent again; 0 sends it once.</param>
    /// <param name="maxRetryDelay">The longest announced wait that is honoured; a longer one ends the retries.</param>
    /// <param name="logger">Logs each scheduled retry; never the request or its headers.</param>
    /// <param name="timeProvider">The clock for delays; <see cref="TimeProvider.System"/> by default.</param>
    public ProviderRetryHandler(string provider, int maxRetries, TimeSpan maxRetryDelay, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRetryDelay, TimeSpan.Zero);
        _provider = provider;
        _maxRetryDelay = maxRetryDelay;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        MaxRetries = maxRetries;

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _timeProvider };
        if (maxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = BaseDelay,
                MaxDelay = maxRetryDelay > TimeSpan.Zero ? maxRetryDelay : BaseDelay,
                ShouldHandle = args => ShouldRetryAsync(args.Outcome, args.Context.CancellationToken),
                DelayGenerator = args => ValueTask.FromResult(AnnouncedDelay(args.Outcome)),
                OnRetry = args =>
                {
                    LogRetry(_logger, _provider, args.AttemptNumber + 1, maxRetries, Describe(args.Outcome), args.RetryDelay);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>Gets how many times a request may be sent again.</summary>
    public int MaxRetries { get; }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (MaxRetries == 0 || OuterRetryScope.IsActive)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _pipeline.ExecuteAsync(
            static async (state, token) => await state.Handler.SendOnceAsync(state.Request, token).ConfigureAwait(false),
            (Handler: this, Request: request),
            cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : outcome.Exception?.GetType().Name ?? "unknown";

    [LoggerMessage(EventId = AiAllinEventIds.ProviderRetryScheduled, Level = LogLevel.Warning, Message = "{Provider} request failed ({Failure}); retry {Attempt} of {MaxRetries} in {Delay}.")]
    private static partial void LogRetry(ILogger logger, string provider, int attempt, int maxRetries, string failure, TimeSpan delay);

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    private async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } exception)
        {
            // The caller's own cancellation is not a failure to retry; a connection that failed is.
            return exception is HttpRequestException or IOException;
        }

        var response = outcome.Result!;
        if (!ProviderException.IsTransientStatusCode(response.StatusCode))
        {
            return false;
        }

        if (RetryAfterHeaders.Read(response.Headers, _timeProvider) is { } announced && announced > _maxRetryDelay)
        {
            return false;
        }

        return !await HasPermanentErrorCodeAsync(response, cancellationToken).ConfigureAwait(false);
    }

    // A 429 can also mean "quota exhausted" (OpenAI's insufficient_quota): waiting will not help, so it is not retried.
    // The small error body is buffered, so the caller still reads it afterwards.
    private static async Task<bool> HasPermanentErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests || response.Content.Headers.ContentLength is > MaxInspectedErrorBody)
        {
            return false;
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(MaxInspectedErrorBody, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return ProviderException.IsPermanentErrorCode(ProviderErrorBody.Parse(body).ErrorCode);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private TimeSpan? AnnouncedDelay(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response && RetryAfterHeaders.Read(response.Headers, _timeProvider) is { } announced
            ? announced
            : null;
}
