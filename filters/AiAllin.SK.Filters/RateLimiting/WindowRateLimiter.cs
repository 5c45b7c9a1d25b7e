using System.Threading.RateLimiting;

namespace AiAllin.SK.Filters.RateLimiting;

/// <summary>
/// A fixed-window limiter on a <see cref="TimeProvider"/> clock whose charge can be corrected after the fact: a
/// request reserves an estimate, and the real cost reported later adds debt (carried into the next windows) or
/// refunds the current window. The built-in window limiters can do neither and replenish on the wall clock only.
/// </summary>
/// <remarks>Waiters are served first in, first out; <c>QueueLimit</c> counts waiting requests, not permits.</remarks>
internal sealed class WindowRateLimiter : RateLimiter
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private readonly long _permitLimit;
    private readonly TimeSpan _window;
    private readonly int _queueLimit;
    private readonly TimeProvider _timeProvider;
    private DateTimeOffset _windowStart;
    private DateTimeOffset _lastActivity;
    private long _used;
    private int _outstanding;
    private long _successfulLeases;
    private long _failedLeases;
    private ITimer? _timer;
    private bool _disposed;

    public WindowRateLimiter(long permitLimit, TimeSpan window, int queueLimit, TimeProvider timeProvider)
    {
        _permitLimit = permitLimit;
        _window = window;
        _queueLimit = queueLimit;
        _timeProvider = timeProvider;
        _windowStart = timeProvider.GetUtcNow();
        _lastActivity = _windowStart;
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var now = _timeProvider.GetUtcNow();
                Roll(now);
                return _queue.Count == 0 && _outstanding == 0 && _used == 0 ? now - _lastActivity : null;
            }
        }
    }

    /// <summary>Adds <paramref name="permits"/> (positive: debt beyond the estimate) or gives them back (negative).</summary>
    public void Correct(long permits)
    {
        List<Waiter>? granted = null;
        lock (_lock)
        {
            Roll(_timeProvider.GetUtcNow());
            _used = Math.Max(0, _used + permits);
            if (permits < 0)
            {
                granted = GrantQueued();
            }
        }

        Complete(granted);
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (_lock)
        {
            Roll(_timeProvider.GetUtcNow());
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = Math.Max(0, _permitLimit - _used),
                CurrentQueuedCount = _queue.Count,
                TotalSuccessfulLeases = _successfulLeases,
                TotalFailedLeases = _failedLeases,
            };
        }
    }

    internal void Release()
    {
        lock (_lock)
        {
            _outstanding--;
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        var permits = Clamp(permitCount);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _timeProvider.GetUtcNow();
            Roll(now);
            return TryGrant(permits, now) ?? Fail(now, permits);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var permits = Clamp(permitCount);
        Waiter waiter;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _timeProvider.GetUtcNow();
            Roll(now);
            if (TryGrant(permits, now) is { } lease)
            {
                return ValueTask.FromResult<RateLimitLease>(lease);
            }

            if (_queue.Count >= _queueLimit)
            {
                return ValueTask.FromResult<RateLimitLease>(Fail(now, permits));
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new Waiter(this, permits);
            waiter.Node = _queue.AddLast(waiter);
            EnsureTimer(now);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(static (state, token) => ((Waiter)state!).Owner.Cancel((Waiter)state!, token), waiter);
        }

        return new ValueTask<RateLimitLease>(waiter.Completion.Task);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            List<Waiter> pending;
            lock (_lock)
            {
                _disposed = true;
                _timer?.Dispose();
                pending = [.. _queue];
                _queue.Clear();
            }

            foreach (var waiter in pending)
            {
                waiter.Registration.Dispose();
                waiter.Completion.TrySetException(new ObjectDisposedException(nameof(WindowRateLimiter)));
            }
        }

        base.Dispose(disposing);
    }

    private static void Complete(List<Waiter>? granted)
    {
        if (granted is null)
        {
            return;
        }

        foreach (var waiter in granted)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetResult(waiter.Lease!);
        }
    }

    private long Clamp(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);

        // A request costing more than a whole window could never pass; it may take an empty window instead.
        return Math.Min(permitCount, _permitLimit);
    }

    private void Roll(DateTimeOffset now)
    {
        var elapsed = now - _windowStart;
        if (elapsed < _window)
        {
            return;
        }

        var windows = elapsed.Ticks / _window.Ticks;
        _windowStart += TimeSpan.FromTicks(_window.Ticks * windows);

        // Unused permits do not carry over; debt from under-estimated requests is paid off window by window.
        var capacity = windows > long.MaxValue / _permitLimit ? long.MaxValue : _permitLimit * windows;
        _used = Math.Max(0, _used - capacity);
    }

    private WindowRateLimitLease? TryGrant(long permits, DateTimeOffset now)
    {
        if (_queue.Count > 0 || _used + permits > _permitLimit)
        {
            return null;
        }

        _used += permits;
        _outstanding++;
        _successfulLeases++;
        _lastActivity = now;
        return new WindowRateLimitLease(this, permits);
    }

    private WindowRateLimitLease Fail(DateTimeOffset now, long permits)
    {
        _failedLeases++;
        return new WindowRateLimitLease(RetryAfter(now, permits));
    }

    /// <summary>Returns the time until the first window start at which <paramref name="permits"/> fit, debt included.</summary>
    private TimeSpan RetryAfter(DateTimeOffset now, long permits)
    {
        var windows = Math.Max(1, (_used + permits - _permitLimit + _permitLimit - 1) / _permitLimit);
        return _windowStart + (_window * windows) - now;
    }

    private List<Waiter>? GrantQueued()
    {
        List<Waiter>? granted = null;
        var now = _timeProvider.GetUtcNow();
        while (_queue.First is { } node && _used + node.Value.Permits <= _permitLimit)
        {
            _queue.RemoveFirst();
            _used += node.Value.Permits;
            _outstanding++;
            _successfulLeases++;
            _lastActivity = now;
            node.Value.Lease = new WindowRateLimitLease(this, node.Value.Permits);
            (granted ??= []).Add(node.Value);
        }

        return granted;
    }

    private void EnsureTimer(DateTimeOffset now)
    {
        var due = RetryAfter(now, _queue.First!.Value.Permits);
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        _timer ??= _timeProvider.CreateTimer(static state => ((WindowRateLimiter)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        List<Waiter>? granted;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            var now = _timeProvider.GetUtcNow();
            Roll(now);
            granted = GrantQueued();
            if (_queue.Count > 0)
            {
                EnsureTimer(now);
            }
        }

        Complete(granted);
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null)
            {
                return;
            }

            _queue.Remove(waiter.Node);
        }

        waiter.Completion.TrySetCanceled(token);
    }

    private sealed class Waiter(WindowRateLimiter owner, long permits)
    {
        public WindowRateLimiter Owner { get; } = owner;

        public long Permits { get; } = permits;

        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public RateLimitLease? Lease { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
