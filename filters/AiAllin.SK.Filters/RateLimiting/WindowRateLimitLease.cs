using System.Threading.RateLimiting;

namespace AiAllin.SK.Filters.RateLimiting;

/// <summary>A lease of <see cref="WindowRateLimiter"/>; a granted one can correct its charge once the real cost is known.</summary>
internal sealed class WindowRateLimitLease : RateLimitLease
{
    private static readonly string[] RetryAfterName = [MetadataName.RetryAfter.Name];

    private readonly TimeSpan? _retryAfter;
    private WindowRateLimiter? _limiter;

    public WindowRateLimitLease(WindowRateLimiter limiter, long permits)
    {
        _limiter = limiter;
        Permits = permits;
    }

    public WindowRateLimitLease(TimeSpan retryAfter) => _retryAfter = retryAfter;

    public override bool IsAcquired => _retryAfter is null;

    public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : RetryAfterName;

    /// <summary>Gets the permits charged so far.</summary>
    public long Permits { get; private set; }

    /// <summary>Charges the real cost instead of the estimate: the difference becomes debt or is given back.</summary>
    /// <param name="actualPermits">The real cost.</param>
    public void CorrectTo(long actualPermits)
    {
        if (_limiter is null || actualPermits == Permits)
        {
            return;
        }

        _limiter.Correct(actualPermits - Permits);
        Permits = actualPermits;
    }

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (_retryAfter is { } retryAfter && metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = retryAfter;
            return true;
        }

        metadata = null;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Interlocked.Exchange(ref _limiter, null)?.Release();
        }

        base.Dispose(disposing);
    }
}
