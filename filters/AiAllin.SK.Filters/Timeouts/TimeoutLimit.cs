namespace AiAllin.SK.Filters.Timeouts;

/// <summary>Which time limit a call exceeded.</summary>
public enum TimeoutLimit
{
    /// <summary>The whole call (for a stream: from the call until the last update).</summary>
    Total,

    /// <summary>The time from the call until the first streamed update.</summary>
    FirstToken,

    /// <summary>The time waiting for the next streamed update after the previous one was delivered.</summary>
    Idle,
}
