using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Postgres.Sessions;

/// <summary>
/// Deletes expired chat sessions every <see cref="PostgresChatHistoryStoreOptions.CleanupInterval"/>. Expired sessions
/// are already invisible to reads; this only reclaims their rows.
/// </summary>
internal sealed partial class PostgresChatHistoryCleanupService : BackgroundService
{
    private readonly PostgresChatHistoryStore _store;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public PostgresChatHistoryCleanupService(PostgresChatHistoryStore store, TimeSpan interval, TimeProvider timeProvider, ILogger<PostgresChatHistoryCleanupService> logger)
    {
        _store = store;
        _interval = interval;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(_interval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await PurgeOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    internal async Task PurgeOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var removed = await _store.PurgeExpiredAsync(cancellationToken).ConfigureAwait(false);
            if (removed > 0)
            {
                LogPurged(removed);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed sweep (server restarting, network blip) must not stop the service; the next tick retries.
            LogPurgeFailed(ex);
        }
    }

    [LoggerMessage(EventId = AiAllinEventIds.ChatHistoryExpiredSessionsRemoved, Level = LogLevel.Information, Message = "Removed {Count} expired chat sessions.")]
    private partial void LogPurged(long count);

    [LoggerMessage(EventId = AiAllinEventIds.ChatHistoryExpiredSessionsRemoved, Level = LogLevel.Warning, Message = "Removing expired chat sessions failed; will retry on the next tick.")]
    private partial void LogPurgeFailed(Exception exception);
}
