using System.Net.ServerSentEvents;
using System.Text;
using AiAllin.SK.Connectors.Core.Http;

namespace AiAllin.SK.Connectors.Core.Tests.Http;

/// <summary>
/// Core's in-place SSE framer: the same events as <see cref="SseParser"/> (the reference) however the body is cut into
/// reads, and the WHATWG rules on their own.
/// </summary>
public sealed class SseEventReaderTests
{
    // Every rule in one small body: a BOM, LF / CRLF / bare-CR line ends, comments, event / id / retry (valid and not),
    // data with and without the optional space, joined data lines, empty data, a field without a colon, an unknown
    // field, multi-byte UTF-8, and a last event the body ends before its blank line (discarded).
    private const string Body = "\uFEFF: hello\r\n"
        + "event: content-delta\r\nid: 1\r\ndata: {\"text\":\"h\u00e9llo \u2603\"}\r\n\r\n"
        + "data:two\ndata\ndata:  three\n\n"
        + "retry: 2500\rdata: cr only\r\r"
        + "event: typed\nretry: 12x\nid: bad\0id\ndata:\n\n"
        + "unknown: field\nevent\ndata: after an empty event field\n\n"
        + ":comment only\n\n"
        + "event: tail\ndata: never dispatched\n";

    [Fact]
    public async Task Events_MatchSseParser_WhereverTheBodyIsCut()
    {
        var bytes = Encoding.UTF8.GetBytes(Body);
        var expected = await ReferenceAsync(bytes);
        Assert.Equal(5, expected.Events.Count);

        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var actual = await ReadAsync(new SplitStream(bytes, [cut]));
            Assert.True(expected.Events.SequenceEqual(actual.Events), $"cut at byte {cut}");
            Assert.Equal(expected.LastEventId, actual.LastEventId);
            Assert.Equal(expected.Retry, actual.Retry);
        }
    }

    [Fact]
    public async Task Events_MatchSseParser_ForEveryPairOfCuts()
    {
        var bytes = Encoding.UTF8.GetBytes(Body[..Body.IndexOf("retry: 2500", StringComparison.Ordinal)] + "data: x\r\r");
        var expected = await ReferenceAsync(bytes);

        for (var first = 0; first <= bytes.Length; first++)
        {
            for (var second = first; second <= bytes.Length; second++)
            {
                var actual = await ReadAsync(new SplitStream(bytes, [first, second]));
                Assert.True(expected.Events.SequenceEqual(actual.Events), $"cuts at bytes {first} and {second}");
            }
        }
    }

    [Fact]
    public async Task Events_MatchSseParser_OneByteAtATime_AndInLargeBodies()
    {
        var large = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            large.Append(i % 3 == 0 ? "event: delta\r\n" : string.Empty).Append("data: {\"i\":").Append(i).Append(i % 5 == 0 ? "}\ndata: more\n\n" : "}\r\n\r\n");
        }

        large.Append("data: ").Append('x', 70_000).Append("\n\n");
        foreach (var bytes in new[] { Encoding.UTF8.GetBytes(Body), Encoding.UTF8.GetBytes(large.ToString()) })
        {
            var expected = await ReferenceAsync(bytes);
            Assert.True(expected.Events.SequenceEqual((await ReadAsync(new SplitStream(bytes, Enumerable.Range(1, Math.Min(bytes.Length, 5000)).ToArray()))).Events));
            Assert.True(expected.Events.SequenceEqual((await ReadAsync(new MemoryStream(bytes))).Events));
        }
    }

    [Fact]
    public async Task BlankLine_ClearsTheEventType_EvenWhenTheEventHadNoData()
    {
        // The WHATWG rule; SseParser keeps "orphan" for the next event here.
        var events = (await ReadAsync(new MemoryStream("event: orphan\n\ndata: x\n\n"u8.ToArray()))).Events;

        Assert.Equal([("message", "x", 1)], events);
    }

    [Fact]
    public async Task EventNumbers_CountOnlyEventsWithData()
    {
        var events = (await ReadAsync(new MemoryStream("data: a\n\n: ping\n\n\n\ndata: b\n\n"u8.ToArray()))).Events;

        Assert.Equal([("message", "a", 1), ("message", "b", 2)], events);
    }

    [Fact]
    public async Task ByteOrderMark_IsSkippedOnlyAtTheStart()
    {
        var events = (await ReadAsync(new SplitStream(Encoding.UTF8.GetBytes("\uFEFFdata: a\n\n\uFEFFdata: b\n\n"), [1, 2]))).Events;

        Assert.Equal([("message", "a", 1)], events);
    }

    [Fact]
    public async Task FillAsync_PassesTheCancellationTokenToTheStream()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var reader = new SseEventReader(StreamTestHelpers.OpenEndedStream("data: a\n\n"));
        Assert.True(await reader.FillAsync());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.FillAsync(cancelled.Token));
    }

    [Fact]
    public async Task Dispose_LeavesTheStreamOpen()
    {
        var stream = new TrackingStream("data: a\n\n"u8.ToArray());
        var reader = new SseEventReader(stream);
        await reader.FillAsync();
        reader.Dispose();

        Assert.False(stream.IsDisposed);
        Assert.False(reader.TryRead(out _));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await reader.FillAsync());
    }

    private static async Task<Parsed> ReferenceAsync(byte[] body)
    {
        var parser = SseParser.Create(new MemoryStream(body), static (_, data) => Encoding.UTF8.GetString(data));
        var events = new List<(string, string, int)>();
        await foreach (var item in parser.EnumerateAsync())
        {
            // An empty event field leaves the type "message" by the WHATWG rules; SseParser reports it as empty.
            events.Add((item.EventType.Length == 0 ? "message" : item.EventType, item.Data, events.Count + 1));
        }

        return new Parsed(events, parser.LastEventId, parser.ReconnectionInterval);
    }

    private static async Task<Parsed> ReadAsync(Stream body)
    {
        using var reader = new SseEventReader(body);
        var events = new List<(string, string, int)>();
        do
        {
            while (reader.TryRead(out var sseEvent))
            {
                var type = sseEvent.EventType.IsEmpty ? "message" : Encoding.UTF8.GetString(sseEvent.EventType);
                events.Add((type, Encoding.UTF8.GetString(sseEvent.Data), sseEvent.Number));
            }
        }
        while (await reader.FillAsync());

        return new Parsed(events, reader.LastEventId, reader.ReconnectionInterval);
    }

    private sealed record Parsed(List<(string Type, string Data, int Number)> Events, string LastEventId, TimeSpan Retry);

    // Hands out the body in reads that end at the given offsets (and one final read for the rest).
    private sealed class SplitStream(byte[] data, int[] cuts) : MemoryStream(data, writable: false)
    {
        private int _nextCut;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_nextCut < cuts.Length && cuts[_nextCut] <= Position)
            {
                _nextCut++;
            }

            var limit = _nextCut < cuts.Length ? cuts[_nextCut] - (int)Position : buffer.Length;
            return base.ReadAsync(buffer[..Math.Min(buffer.Length, limit)], cancellationToken);
        }
    }
}
