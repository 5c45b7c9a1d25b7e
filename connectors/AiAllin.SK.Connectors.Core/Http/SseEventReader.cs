using System.Buffers;
using System.Globalization;
using System.Text;

namespace AiAllin.SK.Connectors.Core.Http;

/// <summary>
/// Frames a server-sent-events body into <see cref="SseEvent"/> views over one pooled buffer, for a client that reads
/// each event's UTF-8 data in place. Nothing is allocated per event: a single <c>data:</c> line is handed out where it
/// was read, and the event type stays in bytes.
/// </summary>
/// <remarks>
/// <para>
/// The WHATWG rules: lines end with LF, CRLF or a bare CR (also when a CRLF is split across reads); a leading UTF-8
/// byte-order mark is skipped; a line starting with <c>:</c> is a comment; a field's value is what follows its first
/// colon, less one leading space; <c>data:</c> lines are joined by LF; <c>event:</c> sets the type, <c>id:</c> (unless it
/// holds a NUL) <see cref="LastEventId"/>, <c>retry:</c> (digits only) <see cref="ReconnectionInterval"/>; other fields
/// are ignored; a blank line dispatches the event if any <c>data:</c> line was seen and always clears the type; an event
/// the body ends before its blank line is discarded. These are the rules
/// <see cref="System.Net.ServerSentEvents.SseParser"/> follows, except that it keeps the type of an event that had no
/// data for the next one.
/// </para>
/// <para>
/// Read with <see cref="TryRead"/> until it returns <see langword="false"/>, then <see cref="FillAsync"/>, until that
/// returns <see langword="false"/> at the end of the body. An event's spans are valid until the next call of either.
/// Not thread-safe; one reader per body. Disposing returns the buffers; the stream stays the caller's.
/// </para>
/// </remarks>
public sealed class SseEventReader : IDisposable
{
    private const int InitialBufferSize = 16 * 1024;
    private const byte CarriageReturn = (byte)'\r';
    private const byte LineFeed = (byte)'\n';

    private readonly Stream _stream;
    private byte[] _buffer;

    // [_start, _end) is read and not yet framed; [_start, _scanFrom) is known to hold no line end.
    private int _start;
    private int _end;
    private int _scanFrom;

    // The event being gathered. Its only data line may sit in _buffer (_dataLineStart >= 0); a second line, or a
    // refill that would move the buffer, copies it to _data.
    private bool _hasData;
    private int _dataLineStart = -1;
    private int _dataLineLength;
    private byte[] _data = [];
    private int _dataLength;
    private byte[] _eventType = [];
    private int _eventTypeLength;

    private int _events;
    private bool _lineEndedWithCarriageReturn;
    private bool _atStart = true;
    private bool _endOfStream;

    /// <summary>Creates a reader over an event-stream body.</summary>
    /// <param name="stream">The body; read from, never disposed here.</param>
    public SseEventReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>Gets the value of the last <c>id:</c> field read; empty until one is.</summary>
    public string LastEventId { get; private set; } = string.Empty;

    /// <summary>Gets the last valid <c>retry:</c> interval; <see cref="Timeout.InfiniteTimeSpan"/> until one is read.</summary>
    public TimeSpan ReconnectionInterval { get; private set; } = Timeout.InfiniteTimeSpan;

    /// <summary>Frames the next whole event from the bytes already read.</summary>
    /// <param name="sseEvent">The event; its spans are valid until the next call of this method or <see cref="FillAsync"/>.</param>
    /// <returns><see langword="false"/> when the bytes read hold no further whole event.</returns>
    public bool TryRead(out SseEvent sseEvent)
    {
        if (_atStart && !TrySkipByteOrderMark())
        {
            sseEvent = default;
            return false;
        }

        while (true)
        {
            if (_lineEndedWithCarriageReturn && _start < _end)
            {
                _lineEndedWithCarriageReturn = false;
                if (_buffer[_start] == LineFeed)
                {
                    _start++;
                }
            }

            var scanFrom = Math.Max(_start, _scanFrom);
            var found = _buffer.AsSpan(scanFrom, _end - scanFrom).IndexOfAny(CarriageReturn, LineFeed);
            if (found < 0)
            {
                _scanFrom = _end;
                sseEvent = default;
                return false;
            }

            var lineStart = _start;
            var lineEnd = scanFrom + found;
            _lineEndedWithCarriageReturn = _buffer[lineEnd] == CarriageReturn;
            _start = lineEnd + 1;
            if (lineEnd == lineStart)
            {
                if (TryDispatch(out sseEvent))
                {
                    return true;
                }

                continue;
            }

            ReadField(lineStart, lineEnd - lineStart);
        }
    }

    /// <summary>Reads more of the body.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns><see langword="false"/> at the end of the body (an unfinished last event is then discarded).</returns>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (_endOfStream)
        {
            return false;
        }

        MakeRoom();
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _endOfStream = true;
            return false;
        }

        _end += read;
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        if (_data.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_data);
            _data = [];
        }

        _start = _end = _scanFrom = 0;
    }

    // A BOM can only be told from data once three bytes (or the end) arrived.
    private bool TrySkipByteOrderMark()
    {
        ReadOnlySpan<byte> byteOrderMark = [0xEF, 0xBB, 0xBF];
        var read = _buffer.AsSpan(_start, _end - _start);
        if (read.Length < byteOrderMark.Length && !_endOfStream && byteOrderMark.StartsWith(read))
        {
            return false;
        }

        if (read.StartsWith(byteOrderMark))
        {
            _start += byteOrderMark.Length;
        }

        _atStart = false;
        return true;
    }

    private void ReadField(int lineStart, int lineLength)
    {
        var line = _buffer.AsSpan(lineStart, lineLength);
        if (line[0] == (byte)':')
        {
            return;
        }

        var colon = line.IndexOf((byte)':');
        var name = colon < 0 ? line : line[..colon];
        var valueOffset = colon < 0 ? lineLength : colon + 1;
        if (valueOffset < lineLength && line[valueOffset] == (byte)' ')
        {
            valueOffset++;
        }

        var value = line[valueOffset..];
        if (name.SequenceEqual("data"u8))
        {
            AddData(lineStart + valueOffset, value.Length);
        }
        else if (name.SequenceEqual("event"u8))
        {
            EnsureCapacity(ref _eventType, value.Length, pooled: false);
            value.CopyTo(_eventType);
            _eventTypeLength = value.Length;
        }
        else if (name.SequenceEqual("id"u8))
        {
            if (!value.Contains((byte)0))
            {
                LastEventId = Encoding.UTF8.GetString(value);
            }
        }
        else if (name.SequenceEqual("retry"u8)
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds <= (long)TimeSpan.MaxValue.TotalMilliseconds)
        {
            ReconnectionInterval = TimeSpan.FromMilliseconds(milliseconds);
        }
    }

    private void AddData(int valueStart, int valueLength)
    {
        if (!_hasData)
        {
            _hasData = true;
            _dataLineStart = valueStart;
            _dataLineLength = valueLength;
            return;
        }

        MoveDataLineOut();
        EnsureCapacity(ref _data, _dataLength + 1 + valueLength, pooled: true, keep: _dataLength);
        _data[_dataLength++] = LineFeed;
        _buffer.AsSpan(valueStart, valueLength).CopyTo(_data.AsSpan(_dataLength));
        _dataLength += valueLength;
    }

    private bool TryDispatch(out SseEvent sseEvent)
    {
        var eventTypeLength = _eventTypeLength;
        _eventTypeLength = 0;
        if (!_hasData)
        {
            sseEvent = default;
            return false;
        }

        var data = _dataLineStart >= 0 ? _buffer.AsSpan(_dataLineStart, _dataLineLength) : _data.AsSpan(0, _dataLength);
        sseEvent = new SseEvent(_eventType.AsSpan(0, eventTypeLength), data, ++_events);
        _hasData = false;
        _dataLineStart = -1;
        _dataLength = 0;
        return true;
    }

    private void MoveDataLineOut()
    {
        if (_dataLineStart < 0)
        {
            return;
        }

        EnsureCapacity(ref _data, _dataLineLength, pooled: true);
        _buffer.AsSpan(_dataLineStart, _dataLineLength).CopyTo(_data);
        _dataLength = _dataLineLength;
        _dataLineStart = -1;
    }

    // Drops the framed bytes (keeping the pending data line in _data) and grows the buffer when it is full.
    private void MakeRoom()
    {
        MoveDataLineOut();
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _scanFrom = Math.Max(0, _scanFrom - _start);
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            EnsureCapacity(ref _buffer, _buffer.Length * 2, pooled: true, keep: _end);
        }
    }

    private static void EnsureCapacity(ref byte[] array, int length, bool pooled, int keep = 0)
    {
        if (array.Length >= length)
        {
            return;
        }

        var larger = pooled ? ArrayPool<byte>.Shared.Rent(Math.Max(length, 256)) : new byte[Math.Max(length, 32)];
        array.AsSpan(0, keep).CopyTo(larger);
        if (pooled && array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        array = larger;
    }
}
