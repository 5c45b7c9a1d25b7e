namespace AiAllin.SK.Filters.RateLimiting;

/// <summary>Event ids of the rate-limit policy (range 5400-5499 of the filters package).</summary>
internal static class FilterEventIds
{
    public const int RateLimitRejected = 5400;
    public const int RateLimitQueued = 5401;
    public const int RateLimitPaused = 5402;
    public const int RateLimitTokensCorrected = 5403;
}
