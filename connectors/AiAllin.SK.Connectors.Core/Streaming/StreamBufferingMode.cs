namespace AiAllin.SK.Connectors.Core.Streaming;

/// <summary>When buffered text is handed to a streaming callback; see <see cref="StreamBuffering"/>.</summary>
public enum StreamBufferingMode
{
    /// <summary>As each token arrives.</summary>
    PerToken,

    /// <summary>Whole words: up to the last whitespace received.</summary>
    PerWord,

    /// <summary>Whole sentences: up to the last sentence end (., !, ?, …, 。 and similar, then whitespace) or line break.</summary>
    PerSentence,

    /// <summary>At most once per <see cref="StreamBuffering.Interval"/>.</summary>
    Interval,

    /// <summary>Once at least <see cref="StreamBuffering.Characters"/> characters are waiting.</summary>
    Characters,
}
