using System.Globalization;
using AiAllin.SK.Connectors.Core.Streaming;
using Microsoft.Extensions.Time.Testing;

namespace AiAllin.SK.Connectors.Core.Tests.Streaming;

public sealed class StreamTextBufferTests
{
    // ZWJ family, a flag (two regional indicators), a thumbs-up with skin tone, e + combining acute, a Hangul syllable
    // in jamo, CRLF, a surrogate-pair letter (U+1D54F), Devanagari with a virama conjunct.
    private const string Hard = "Hi 👨‍👩‍👧‍👦 fam! 🇫🇷 ok 👍🏽. Cafe\u0301 \u1100\u1161\u11A8 line\r\nnext 𝕏 क्षत्रिय? End.";

    public static TheoryData<string> Modes => new() { "token", "word", "sentence", "chars3", "chars10" };

    private static StreamBuffering Buffering(string mode) => mode switch
    {
        "word" => StreamBuffering.PerWord,
        "sentence" => StreamBuffering.PerSentence,
        "chars3" => StreamBuffering.EveryCharacters(3),
        "chars10" => StreamBuffering.EveryCharacters(10),
        _ => StreamBuffering.PerToken,
    };

    private static HashSet<int> GraphemeBoundaries(string text)
    {
        var boundaries = new HashSet<int> { 0 };
        var position = 0;
        while (position < text.Length)
        {
            position += StringInfo.GetNextTextElementLength(text.AsSpan(position));
            boundaries.Add(position);
        }

        return boundaries;
    }

    private static List<string> Run(StreamBuffering buffering, IEnumerable<string> pieces)
    {
        var buffer = new StreamTextBuffer(buffering);
        var delivered = new List<string>();
        foreach (var piece in pieces)
        {
            if (buffer.Add(piece) is { } ready)
            {
                delivered.Add(ready);
            }
        }

        if (buffer.Flush() is { } rest)
        {
            delivered.Add(rest);
        }

        return delivered;
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void EverySplitOfTheText_IsDeliveredWholeAndOnlyAtGraphemeBoundaries(string mode)
    {
        var boundaries = GraphemeBoundaries(Hard);
        for (var size = 1; size <= 7; size++)
        {
            // Pieces of `size` UTF-16 units, so surrogate pairs and clusters are cut everywhere possible.
            var pieces = Enumerable.Range(0, (Hard.Length + size - 1) / size).Select(i => Hard.Substring(i * size, Math.Min(size, Hard.Length - (i * size))));

            var delivered = Run(Buffering(mode), pieces);

            Assert.Equal(Hard, string.Concat(delivered));
            var end = 0;
            foreach (var part in delivered)
            {
                Assert.NotEmpty(part);
                end += part.Length;
                Assert.True(boundaries.Contains(end), $"A delivery ends at {end}, inside a grapheme cluster (pieces of {size}).");
            }
        }
    }

    [Fact]
    public void PerToken_HoldsBackOnlyTheLastGraphemeOfEachPiece()
    {
        Assert.Equal(["Hel", "lo wor", "l", "d"], Run(StreamBuffering.PerToken, ["Hell", "o worl", "d"]));
    }

    [Fact]
    public void PerToken_ACombiningMarkInTheNextPieceJoinsItsLetter()
    {
        Assert.Equal(["Caf", "e\u0301", "!"], Run(StreamBuffering.PerToken, ["Cafe", "\u0301!"]));
    }

    [Fact]
    public void PerToken_AZwjSequenceSplitAcrossPiecesIsDeliveredInOnePiece()
    {
        var delivered = Run(StreamBuffering.PerToken, ["a 👨\u200D", "👩\u200D👧", " b"]);

        Assert.Equal(["a ", "👨\u200D👩\u200D👧 ", "b"], delivered);
    }

    [Fact]
    public void PerToken_ALineFeedIsDeliveredAtOnce()
    {
        Assert.Equal(["line\n", "x"], Run(StreamBuffering.PerToken, ["line\n", "x"]));
    }

    [Fact]
    public void PerWord_DeliversUpToTheLastWhitespace()
    {
        Assert.Equal(["The ", "quick ", "brown ", "fox"], Run(StreamBuffering.PerWord, ["The qu", "ick bro", "wn f", "ox"]));
    }

    [Fact]
    public void PerSentence_DeliversWholeSentences()
    {
        var delivered = Run(StreamBuffering.PerSentence, ["It is ", "sunny. Tak", "e a hat! Re", "ally? 好。再见"]);

        Assert.Equal(["It is sunny. ", "Take a hat! ", "Really? 好。", "再见"], delivered);
    }

    [Fact]
    public void EveryCharacters_WaitsForThatManyCharacters()
    {
        var delivered = Run(StreamBuffering.EveryCharacters(8), ["abc", "def", "ghij", "kl", "m"]);

        Assert.Equal(["abcdefghi", "jklm"], delivered);
    }

    [Fact]
    public void Interval_DeliversAtMostOncePerInterval()
    {
        var clock = new FakeTimeProvider();
        var buffer = new StreamTextBuffer(StreamBuffering.Every(TimeSpan.FromMilliseconds(100), clock));

        Assert.Null(buffer.Add("ab"));
        clock.Advance(TimeSpan.FromMilliseconds(60));
        Assert.Null(buffer.Add("cd"));
        clock.Advance(TimeSpan.FromMilliseconds(40));
        Assert.Equal("abcdef", buffer.Add("efg"));
        Assert.Null(buffer.Add("h"));
        Assert.Equal("gh", buffer.Flush());
        Assert.Null(buffer.Flush());
    }

    [Fact]
    public void Factories_RejectNonPositiveLimits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamBuffering.EveryCharacters(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamBuffering.Every(TimeSpan.Zero));
    }
}
