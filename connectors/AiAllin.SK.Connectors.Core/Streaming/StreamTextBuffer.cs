using System.Globalization;

namespace AiAllin.SK.Connectors.Core.Streaming;

/// <summary>
/// Holds streamed text of one phase and says which part is ready for the callback under a <see cref="StreamBuffering"/>.
/// The last grapheme cluster always waits: the next piece may extend it (a combining mark, a ZWJ and the next emoji,
/// the low half of a surrogate pair).
/// </summary>
internal sealed class StreamTextBuffer(StreamBuffering buffering)
{
    private static readonly string[] AsciiStrings = [.. Enumerable.Range(0, 128).Select(c => ((char)c).ToString())];

    private string _pending = string.Empty;
    private long _lastDelivery = buffering.TimeProvider.GetTimestamp();

    /// <summary>Adds text; returns the part ready to deliver, or <see langword="null"/>.</summary>
    public string? Add(string text)
    {
        if (buffering.Mode == StreamBufferingMode.PerToken && TryTakePerToken(text) is { } taken)
        {
            return taken;
        }

        _pending = _pending.Length == 0 ? text : string.Concat(_pending, text);
        var complete = CompleteLength(_pending);
        if (complete == 0)
        {
            return null;
        }

        var ready = buffering.Mode switch
        {
            StreamBufferingMode.PerWord => LastWordEnd(_pending.AsSpan(0, complete)),
            StreamBufferingMode.PerSentence => LastSentenceEnd(_pending.AsSpan(0, complete)),
            StreamBufferingMode.Characters => complete >= buffering.Characters ? complete : 0,
            StreamBufferingMode.Interval => buffering.TimeProvider.GetElapsedTime(_lastDelivery) >= buffering.Interval ? complete : 0,
            _ => complete,
        };

        return ready == 0 ? null : Take(ready);
    }

    // The common case of per-token delivery without building the joined text: a piece ending in two ASCII characters
    // (not CR LF) completes everything but its last character, which is kept (one cached string) for the next piece.
    private string? TryTakePerToken(string text)
    {
        // A final line feed completes everything; the general path delivers it whole.
        if (!EndsInAsciiBreak(text) || text[^1] == '\n')
        {
            return null;
        }

        var ready = _pending.Length == 0 ? text[..^1] : string.Concat(_pending.AsSpan(), text.AsSpan(0, text.Length - 1));
        _pending = AsciiStrings[text[^1]];
        return ready;
    }

    // Two ASCII characters other than CR LF always have a cluster break between them (UAX #29 GB3 to GB999), so the
    // last cluster so far is the last character: no need to walk the text, which is the common case of a token.
    private static bool EndsInAsciiBreak(string text) =>
        text.Length >= 2 && char.IsAscii(text[^1]) && char.IsAscii(text[^2]) && text[^2] != '\r';

    /// <summary>Returns everything waiting (at the end of a phase or of the stream), or <see langword="null"/>.</summary>
    public string? Flush() => _pending.Length == 0 ? null : Take(_pending.Length);

    private string Take(int length)
    {
        var ready = _pending[..length];
        _pending = _pending[length..];
        _lastDelivery = buffering.TimeProvider.GetTimestamp();
        return ready;
    }

    // The length of the text before its last grapheme cluster. A line feed ends a cluster for good (UAX #29 GB4/GB5),
    // so text ending in one is complete. A trailing high surrogate is half a code point: it waits, and so does the
    // cluster before it, which the completed code point may join (an emoji after a ZWJ).
    private static int CompleteLength(string text)
    {
        if (text[^1] == '\n')
        {
            return text.Length;
        }

        if (EndsInAsciiBreak(text))
        {
            return text.Length - 1;
        }

        var span = char.IsHighSurrogate(text[^1]) ? text.AsSpan(0, text.Length - 1) : text.AsSpan();
        var position = 0;
        while (position < span.Length)
        {
            var length = StringInfo.GetNextTextElementLength(span[position..]);
            if (position + length >= span.Length)
            {
                return position;
            }

            position += length;
        }

        return 0;
    }

    private static int LastWordEnd(ReadOnlySpan<char> text)
    {
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static int LastSentenceEnd(ReadOnlySpan<char> text)
    {
        for (var i = text.Length - 1; i >= 0; i--)
        {
            var c = text[i];
            if (c == '\n' || IsFullWidthTerminator(c))
            {
                return i + 1;
            }

            if (char.IsWhiteSpace(c) && i > 0 && IsTerminator(text[i - 1]))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static bool IsTerminator(char c) => c is '.' or '!' or '?' or '…' || IsFullWidthTerminator(c);

    // CJK sentence ends are not followed by a space.
    private static bool IsFullWidthTerminator(char c) => c is '。' or '！' or '？' or '．';
}
