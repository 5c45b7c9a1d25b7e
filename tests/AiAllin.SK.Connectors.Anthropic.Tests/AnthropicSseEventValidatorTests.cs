using System.Text;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;

namespace AiAllin.SK.Connectors.Anthropic.Tests;

/// <summary>Core's SSE guard with the Anthropic validator: events pass unchanged; a malformed one stops the stream after the good ones.</summary>
public sealed class AnthropicSseEventValidatorTests
{
    private const string Good = "event: ping\ndata: {\"type\":\"ping\"}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0}\n\n";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(4096)]
    public async Task ValidEvents_PassThroughUnchangedWhateverTheReadSizes(int pieceSize)
    {
        using var guard = Guard(new PiecewiseStream(Encoding.UTF8.GetBytes(Good), pieceSize));

        var text = await ReadAllAsync(guard, 5);

        Assert.Equal(Good, text);
    }

    [Fact]
    public async Task MalformedEvent_EarlierEventsAreHandedOutThenTheReadThrowsNamingTheData()
    {
        var bytes = Encoding.UTF8.GetBytes(Good + "event: content_block_delta\ndata: {\"broken\n\nevent: message_stop\ndata: {}\n\n");
        using var guard = Guard(new PiecewiseStream(bytes, bytes.Length));
        var received = new StringBuilder();
        var buffer = new byte[64];

        var exception = await Assert.ThrowsAsync<ProviderStreamException>(async () =>
        {
            int read;
            while ((read = await guard.ReadAsync(buffer)) > 0)
            {
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        });

        Assert.Equal(Good, received.ToString());
        Assert.Equal("{\"broken", exception.Chunk);
        Assert.Equal(3, exception.ChunkNumber);
        Assert.Equal("Anthropic", exception.Provider);
    }

    [Fact]
    public async Task CrLfLineEndsAndMultiLineData_AreUnderstood()
    {
        var text = "event: message_start\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n";
        using var guard = Guard(new PiecewiseStream(Encoding.UTF8.GetBytes(text), 4));

        Assert.Equal(text, await ReadAllAsync(guard, 7));
    }

    [Fact]
    public void SynchronousReads_BehaveLikeAsynchronousOnes()
    {
        var bytes = Encoding.UTF8.GetBytes(Good + "data: nope\n\n");
        using var guard = Guard(new PiecewiseStream(bytes, 10));
        var received = new StringBuilder();
        var buffer = new byte[8];

        var exception = Assert.Throws<ProviderStreamException>(() =>
        {
            int read;
            while ((read = guard.Read(buffer, 0, buffer.Length)) > 0)
            {
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        });

        Assert.Equal(Good, received.ToString());
        Assert.Equal("nope", exception.Chunk);
    }

    [Fact]
    public async Task TrailingEventWithoutBlankLine_IsHandedOutAtTheEnd()
    {
        var text = Good + "event: message_stop\ndata: {\"type\":\"message_stop\"}";
        using var guard = Guard(new PiecewiseStream(Encoding.UTF8.GetBytes(text), 9));

        Assert.Equal(text, await ReadAllAsync(guard, 11));
    }

    [Fact]
    public async Task LargeEvent_GrowsTheBufferAndPassesThrough()
    {
        var payload = new string('x', 100_000);
        var text = $"event: content_block_delta\ndata: {{\"text\":\"{payload}\"}}\n\n";
        using var guard = Guard(new PiecewiseStream(Encoding.UTF8.GetBytes(text), 5000));

        Assert.Equal(text, await ReadAllAsync(guard, 8192));
    }

    private static SseGuardStream Guard(Stream inner) => new(inner, new AnthropicSseEventValidator(apiKey: null));

    private static async Task<string> ReadAllAsync(Stream stream, int bufferSize)
    {
        var received = new List<byte>();
        var buffer = new byte[bufferSize];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            received.AddRange(buffer.AsSpan(0, read));
        }

        return Encoding.UTF8.GetString([.. received]);
    }

    // Returns at most pieceSize bytes per read, as a network stream may.
    private sealed class PiecewiseStream(byte[] data, int pieceSize) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, pieceSize), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
