using System.Net.ServerSentEvents;
using System.Text;
using AiAllin.SK.Connectors.Core.Http;

namespace AiAllin.SK.Connectors.Core.Tests.Http;

/// <summary>Core's one SSE guard: WHATWG framing at any read size, bad events stopping the stream after the good ones.</summary>
public sealed class SseGuardStreamTests
{
    private const string Key = "sk-guard-0123456789abcdefghij";

    public static TheoryData<string, int> LineEndsAndReadSizes()
    {
        var data = new TheoryData<string, int>();
        foreach (var newline in new[] { "\n", "\r\n", "\r" })
        {
            foreach (var size in new[] { 1, 2, 3, 7, 64, 4096 })
            {
                data.Add(newline, size);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LineEndsAndReadSizes))]
    public async Task Events_PassByteForByte_AndAreFramedAsTheSseRulesSay(string newline, int readSize)
    {
        var body = string.Join(newline, ": keep-alive", string.Empty, "event: delta", "id: 7", "retry: 100", "data: one", string.Empty,
            "data:two", "data", "data:  three", string.Empty, "event: ignored-without-data", string.Empty, "event: last", "data: four");
        var validator = new RecordingSseValidator();

        var passed = await ReadAllAsync(Guard(body, validator, readSize), readSize);

        Assert.Equal(body, passed);
        Assert.Equal(
            [("delta", "one", 1), (string.Empty, "two\n\n three", 2), ("last", "four", 3)],
            validator.Events);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(4096)]
    public async Task Output_ParsesToTheSameEventsAsTheInput(int readSize)
    {
        var body = "\uFEFFdata: a\r\n\r\nevent: e\rdata: b\rdata: c\r\r: note\n\ndata: {\"x\":1}\n\n";
        var guarded = await ReadAllAsync(Guard(body, new RecordingSseValidator(), readSize), readSize);

        Assert.Equal(await ParseAsync(body), await ParseAsync(guarded));
    }

    [Fact]
    public async Task LeadingByteOrderMark_IsNotPartOfTheFirstField()
    {
        var validator = new RecordingSseValidator();

        await ReadAllAsync(Guard("\uFEFFevent: first\ndata: x\n\n", validator, 1), 1);

        Assert.Equal([("first", "x", 1)], validator.Events);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(4096)]
    public async Task MalformedEvent_HandsOnEarlierEventsThenThrowsNamingProviderEventAndData(int readSize)
    {
        const string good = "data: {\"a\":1}\n\n: comment\n\n";
        using var stream = Guard(good + "data: bad {\"cut\n\ndata: {\"after\":1}\n\n", new RecordingSseValidator(), readSize);
        var received = new MemoryStream();

        var exception = await Assert.ThrowsAsync<ProviderStreamException>(() => stream.CopyToAsync(received, 8));

        Assert.Equal(good, Encoding.UTF8.GetString(received.ToArray()));
        Assert.Equal("TestProvider", exception.Provider);
        Assert.Equal(2, exception.ChunkNumber);
        Assert.Equal("bad {\"cut", exception.Chunk);
        Assert.Contains("event 2", exception.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ProviderStreamException>(() => stream.CopyToAsync(received));
    }

    [Fact]
    public async Task ServerErrorEvent_ThrowsProviderExceptionWithTheServerMessage()
    {
        const string good = "data: {\"a\":1}\n\n";
        using var stream = Guard(good + "event: error\ndata: {\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n", new RecordingSseValidator(), 4096);
        var received = new MemoryStream();

        var exception = await Assert.ThrowsAnyAsync<ProviderException>(() => stream.CopyToAsync(received));

        Assert.IsNotType<ProviderStreamException>(exception);
        Assert.Equal(good, Encoding.UTF8.GetString(received.ToArray()));
        Assert.Contains("Overloaded", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LastEventWithoutBlankLine_IsStillChecked()
    {
        using var stream = Guard("data: {}\n\ndata: not json", new RecordingSseValidator(), 3);
        var received = new MemoryStream();

        await Assert.ThrowsAsync<ProviderStreamException>(() => stream.CopyToAsync(received));

        Assert.Equal("data: {}\n\n", Encoding.UTF8.GetString(received.ToArray()));
    }

    [Fact]
    public async Task RewrittenEvent_IsReplacedAndTheRestPassesUnchanged()
    {
        var passed = await ReadAllAsync(Guard("data: a\n\nevent: u\r\nid: 1\r\ndata: old\r\n\r\ndata: b\n\n", new RecordingSseValidator(), 2), 3);

        Assert.Equal("data: a\n\nevent: u\nid: 1\ndata: \"new\"\n\ndata: b\n\n", passed);
    }

    [Fact]
    public async Task DroppedConnection_IsATransientProviderException()
    {
        using var stream = new SseGuardStream(new FailingStream("data: {}\n\ndata: {\"par"u8.ToArray()), new RecordingSseValidator(Key));
        var received = new MemoryStream();

        var exception = await Assert.ThrowsAsync<ProviderException>(() => stream.CopyToAsync(received));

        Assert.True(exception.IsTransient);
        Assert.Equal("TestProvider", exception.Provider);
        Assert.Equal("data: {}\n\n", Encoding.UTF8.GetString(received.ToArray()));
    }

    [Fact]
    public async Task MalformedEvent_NeverShowsTheKey()
    {
        using var stream = new SseGuardStream(TrackingStream.FromText($"data: bad {Key}\n\n"), new RecordingSseValidator(Key));

        var exception = await Assert.ThrowsAsync<ProviderStreamException>(() => stream.CopyToAsync(Stream.Null));

        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, exception.Chunk, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeEvent_GrowsTheBufferAndPassesThrough()
    {
        var body = $"data: {{\"text\":\"{new string('x', 100_000)}\"}}\n\ndata: {{}}\n\n";

        Assert.Equal(body, await ReadAllAsync(Guard(body, new RecordingSseValidator(), 5000), 8192));
    }

    [Fact]
    public void SynchronousReads_BehaveLikeAsynchronousOnes()
    {
        using var stream = Guard("data: {}\r\n\r\ndata: bad\r\n\r\n", new RecordingSseValidator(), 3);
        var received = new MemoryStream();

        var exception = Assert.Throws<ProviderStreamException>(() => stream.CopyTo(received, 4));

        Assert.Equal("data: {}\r\n\r\n", Encoding.UTF8.GetString(received.ToArray()));
        Assert.Equal("bad", exception.Chunk);
    }

    [Fact]
    public async Task Dispose_DisposesTheInnerStream()
    {
        var inner = TrackingStream.FromText("data: {}\n\n");
        var stream = new SseGuardStream(inner, new RecordingSseValidator());

        await stream.DisposeAsync();

        Assert.True(inner.IsDisposed);
    }

    [Fact]
    public async Task Validator_WorksFromSseParserToo_AsRestClientsUseIt()
    {
        const string body = "event: delta\ndata: {\"a\":1}\n\ndata: bad\n\n";
        var validator = new RecordingSseValidator();
        var number = 0;
        var parser = SseParser.Create(TrackingStream.FromText(body), (type, data) => validator.Validate(type, data, ++number));
        var failures = new List<ProviderException?>();

        await foreach (var item in parser.EnumerateAsync())
        {
            failures.Add(item.Data);
        }

        Assert.Equal([("delta", "{\"a\":1}", 1), ("message", "bad", 2)], validator.Events);
        Assert.Null(failures[0]);
        Assert.Equal(2, Assert.IsType<ProviderStreamException>(failures[1]).ChunkNumber);
    }

    private static SseGuardStream Guard(string body, SseEventValidator validator, int readSize)
        => new(TrackingStream.FromText(body, readSize), validator);

    private static async Task<string> ReadAllAsync(Stream stream, int readSize)
    {
        await using (stream)
        {
            var output = new MemoryStream();
            var buffer = new byte[readSize];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
            }

            return Encoding.UTF8.GetString(output.ToArray());
        }
    }

    private static async Task<List<(string Type, string Data)>> ParseAsync(string body)
    {
        var events = new List<(string, string)>();
        await foreach (var item in SseParser.Create(new MemoryStream(Encoding.UTF8.GetBytes(body))).EnumerateAsync())
        {
            events.Add((item.EventType, item.Data));
        }

        return events;
    }

    // Hands out its bytes, then fails as a reset connection does.
    private sealed class FailingStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("Connection reset by peer.");
    }
}
