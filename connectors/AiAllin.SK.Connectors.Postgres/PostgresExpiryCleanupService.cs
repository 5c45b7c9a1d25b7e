using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// A background service that deletes expired records from every expiring collection of a <see cref="PostgresVectorStore"/>
/// at a fixed interval. Expired records are invisible to reads at once; this service only reclaims their space.
/// </summary>
public sealed partial class PostgresExpiryCleanupService : BackgroundService
{
    private readonly PostgresVectorStore _store;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;

    /// <summary>Initializes a new cleanup service.</summary>
    /// <param name="store">The store whose expiring collections are purged.</param>
    /// <param name="interval">The time between purges.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    public PostgresExpiryCleanupService(PostgresVectorStore store, TimeSpan interval, ILogger<PostgresExpiryCleanupService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _store = store;
        _interval = interval;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        do
        {
            try
            {
                var deleted = await _store.PurgeExpiredAsync(stoppingToken).ConfigureAwait(false);
                LogPurged(_logger, deleted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed round (server restarting, failover) must not stop the service; the next tick retries.
                LogPurgeFailed(_logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug, Message = "Purged {Count} expired vector records.")]
    private static partial void LogPurged(ILogger logger, long count);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Purging expired vector records failed; retrying at the next interval.")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
