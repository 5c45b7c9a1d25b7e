namespace AiAllin.SK.Filters.Timeouts;

/// <summary>
/// The clock of one call: a token cancelled (linked to the caller's) when a limit passes, driven by one timer that
/// reschedules itself to the next deadline. Per streamed update the layer only stamps the time it starts waiting,
/// so the timer is never touched on the hot path.
/// </summary>
internal sealed class TimeoutScope : IDisposable
{
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _cts;
    private readonly ITimer _timer;
    private readonly long _start;
    private readonly TimeSpan? _total;
    private readonly TimeSpan? _firstToken;
    private readonly TimeSpan? _idle;
    private readonly Lock _gate = new();
    private long _waitStart;
    private volatile bool _waiting;
    private volatile bool _gotFirst;
    private volatile int _fired;
    private bool _disposed;

    public TimeoutScope(TimeoutOptions options, bool streaming, CancellationToken cancellationToken)
    {
        _time = options.TimeProvider;
        _total = options.Total;
        _firstToken = streaming ? options.FirstToken : null;
        _idle = streaming ? options.Idle : null;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _start = _time.GetTimestamp();
        _timer = _time.CreateTimer(static s => ((TimeoutScope)s!).OnTimer(), this, NextDue(_start) ?? Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>Gets the limit that fired, if any.</summary>
    public TimeoutLimit? Fired => _fired == 0 ? null : (TimeoutLimit)(_fired - 1);

    public TimeSpan ValueOf(TimeoutLimit limit) => limit switch
    {
        TimeoutLimit.FirstToken => _firstToken ?? TimeSpan.Zero,
        TimeoutLimit.Idle => _idle ?? TimeSpan.Zero,
        _ => _total ?? TimeSpan.Zero,
    };

    public void BeginWait()
    {
        if (_idle is not null)
        {
            _waitStart = _time.GetTimestamp();
            _waiting = true;
        }
    }

    public void EndWait()
    {
        _waiting = false;
        _gotFirst = true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _timer.Dispose();
        _cts.Dispose();
    }

    private void OnTimer()
    {
        var now = _time.GetTimestamp();
        TimeoutLimit? expired = null;
        if (_total is { } total && _time.GetElapsedTime(_start, now) >= total)
        {
            expired = TimeoutLimit.Total;
        }
        else if (!_gotFirst && _firstToken is { } first && _time.GetElapsedTime(_start, now) >= first)
        {
            expired = TimeoutLimit.FirstToken;
        }
        else if (_gotFirst && _waiting && _idle is { } idle && _time.GetElapsedTime(Volatile.Read(ref _waitStart), now) >= idle)
        {
            expired = TimeoutLimit.Idle;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (expired is { } limit)
            {
                _fired = (int)limit + 1;
                try
                {
                    _cts.Cancel();
                }
                catch (AggregateException)
                {
                    // A callback registered on the token threw; on a timer thread that would end the process, and
                    // the call still sees its token cancelled.
                }
            }
            else if (NextDue(now) is { } due)
            {
                _timer.Change(due, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private TimeSpan? NextDue(long now)
    {
        TimeSpan? due = null;
        var sinceStart = _time.GetElapsedTime(_start, now);
        if (_total is { } total)
        {
            due = Min(due, total - sinceStart);
        }

        if (!_gotFirst && _firstToken is { } first)
        {
            due = Min(due, first - sinceStart);
        }

        if (_idle is { } idle)
        {
            // The idle clock only runs while waiting for an update (not before the first one, nor while the caller
            // holds one); until then look again one idle period later, which bounds how late an idle stall is seen.
            due = Min(due, _gotFirst && _waiting ? idle - _time.GetElapsedTime(Volatile.Read(ref _waitStart), now) : idle);
        }

        return due is { } d && d < TimeSpan.Zero ? TimeSpan.Zero : due;
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;
}
