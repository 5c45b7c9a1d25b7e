namespace AiAllin.SK.Filters.Timeouts;

/// <summary>Options of the timeout policy; each limit is off until set.</summary>
public sealed class TimeoutOptions
{
    /// <summary>Gets or sets the limit on a whole call (for a stream, until its last update, including the time the caller spends per update).</summary>
    public TimeSpan? Total { get; set; }

    /// <summary>Gets or sets the limit from the call until the first streamed update (streams only).</summary>
    public TimeSpan? FirstToken { get; set; }

    /// <summary>
    /// Gets or sets the limit on waiting for the next streamed update (streams only); the clock runs while the layer
    /// waits on the inner stream, not while the caller processes an update.
    /// </summary>
    public TimeSpan? Idle { get; set; }

    /// <summary>Gets or sets a value indicating whether the limits also apply to SK function invocations (native functions, and streamed function results). Default true.</summary>
    public bool ApplyToFunctions { get; set; } = true;

    /// <summary>Gets or sets the time provider (tests use a fake one). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when a setting is invalid.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public void Validate()
    {
        Check(Total, nameof(Total));
        Check(FirstToken, nameof(FirstToken));
        Check(Idle, nameof(Idle));
        if (TimeProvider is null)
        {
            throw new ArgumentException($"{nameof(TimeoutOptions)}.{nameof(TimeProvider)} must not be null.");
        }

        if (Total is null && FirstToken is null && Idle is null)
        {
            throw new ArgumentException($"{nameof(TimeoutOptions)}: set at least one of {nameof(Total)}, {nameof(FirstToken)} or {nameof(Idle)}.");
        }
    }

    private static void Check(TimeSpan? value, string name)
    {
        if (value is { } v && (v <= TimeSpan.Zero || v == System.Threading.Timeout.InfiniteTimeSpan))
        {
            throw new ArgumentException($"{nameof(TimeoutOptions)}.{name} must be positive and finite (was {v}).");
        }
    }
}
