namespace AiAllin.SK.Connectors.Core.Streaming;

/// <summary>
/// How streamed text is grouped before it reaches a callback. Whatever the mode, a delivery never ends inside a
/// UTF-16 surrogate pair or a grapheme cluster (an emoji ZWJ sequence, a letter and its combining marks): the last
/// grapheme of what has arrived waits until the next piece shows it is complete, or the phase or stream ends. At the
/// end of each phase (answer, reasoning) and of the stream everything waiting is delivered.
/// </summary>
public sealed class StreamBuffering
{
    private StreamBuffering(StreamBufferingMode mode, TimeSpan interval = default, int characters = 0, TimeProvider? timeProvider = null)
    {
        Mode = mode;
        Interval = interval;
        Characters = characters;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the default: deliver each token as it arrives.</summary>
    public static StreamBuffering PerToken { get; } = new(StreamBufferingMode.PerToken);

    /// <summary>Gets a buffering that delivers whole words.</summary>
    public static StreamBuffering PerWord { get; } = new(StreamBufferingMode.PerWord);

    /// <summary>Gets a buffering that delivers whole sentences.</summary>
    public static StreamBuffering PerSentence { get; } = new(StreamBufferingMode.PerSentence);

    /// <summary>Gets the mode.</summary>
    public StreamBufferingMode Mode { get; }

    /// <summary>Gets the shortest time between two deliveries, for <see cref="StreamBufferingMode.Interval"/>.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Gets how many characters wait before a delivery, for <see cref="StreamBufferingMode.Characters"/>.</summary>
    public int Characters { get; }

    /// <summary>Gets the clock that <see cref="StreamBufferingMode.Interval"/> measures with.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Delivers what has arrived at most once per <paramref name="interval"/> (checked as tokens arrive).</summary>
    /// <param name="interval">The shortest time between two deliveries; positive.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for the system clock.</param>
    /// <returns>The buffering.</returns>
    public static StreamBuffering Every(TimeSpan interval, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return new(StreamBufferingMode.Interval, interval: interval, timeProvider: timeProvider);
    }

    /// <summary>Delivers once at least <paramref name="characters"/> characters are waiting.</summary>
    /// <param name="characters">The number of UTF-16 characters; positive.</param>
    /// <returns>The buffering.</returns>
    public static StreamBuffering EveryCharacters(int characters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(characters);
        return new(StreamBufferingMode.Characters, characters: characters);
    }
}
