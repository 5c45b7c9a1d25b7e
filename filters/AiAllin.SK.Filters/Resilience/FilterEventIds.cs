namespace AiAllin.SK.Filters.Resilience;

/// <summary>Event ids of the resilience policies (range 5500-5599 of the filters package).</summary>
internal static class FilterEventIds
{
    public const int RetryScheduled = 5500;
    public const int RetryNotAttempted = 5501;
    public const int FallbackUsed = 5510;
    public const int CircuitOpened = 5520;
    public const int CircuitHalfOpened = 5521;
    public const int CircuitClosed = 5522;
    public const int StreamInterrupted = 5530;
}
