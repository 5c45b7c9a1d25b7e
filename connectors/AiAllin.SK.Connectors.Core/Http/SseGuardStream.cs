using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.Core.Http;

/// <summary>
/// A read-through view of a server-sent-events body that hands on only whole events, each checked by a provider's
/// <see cref="SseEventValidator"/> first. Put it under an SDK's SSE parser (replace the response content with it); the
/// SDK then never sees a bad event: every event before it is handed on, so its updates are delivered, and the next
/// read throws the validator's exception.
/// </summary>
/// <remarks>
/// <para>
/// Events are framed as the WHATWG SSE rules say: lines end with LF, CRLF or a bare CR (also when a CRLF is split
/// across reads), a leading byte-order mark is ignored, <c>:</c> lines are comments, an event's <c>data:</c> lines
/// are joined by LF, and a blank line dispatches the event. A last event that the server did not end with a blank
/// line is checked too. Reads of any size are served; bytes are buffered only up to the end of the event being read.
/// </para>
/// <para>
/// A connection that drops mid-stream becomes a transient <see cref="ProviderException"/> unless the caller
/// cancelled. The inner stream is disposed with this one.
/// </para>
/// </remarks>
public sealed partial class SseGuardStream : Stream
{
    private const int InitialBufferSize = 16 * 1024;
    private static readonly byte[] DataField = "data"u8.ToArray();
    private static readonly byte[] EventField = "event"u8.ToArray();
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    private readonly Stream _inner;
    private readonly SseEventValidator _validator;
    private readonly ILogger _logger;
    private readonly List<byte> _joined = [];
    private byte[] _buffer;

    // Bytes [_start, _released) are checked and wait to be handed on; [_released, _end) are read but not yet cleared.
    private int _start;
    private int _released;
    private int _end;
    private int _lineStart;
    private int _scan;

    // The event being gathered: where its first line starts, its data (one line in place, or joined) and its type.
    private int _eventStart = -1;
    private int _dataStart;
    private int _dataLength;
    private int _dataLines;
    private int _typeStart;
    private int _typeLength;
    private int _events;
    private bool _atStart = true;
    private bool _innerDone;
    private Exception? _failure;

    /// <summary>Wraps a response body.</summary>
    /// <param name="inner">The SSE body; disposed with this stream.</param>
    /// <param name="validator">Decides which events are errors or malformed.</param>
    /// <param name="logger">Logs the failure that stops a stream; <see langword="null"/> for none.</param>
    public SseGuardStream(Stream inner, SseEventValidator validator, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(validator);
        _inner = inner;
        _validator = validator;
        _logger = logger ?? NullLogger.Instance;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (TryHandOn(buffer, out var copied))
            {
                return copied;
            }

            int read;
            try
            {
                read = _inner.Read(PrepareFill().Span);
            }
            catch (IOException ex)
            {
                throw Fail(ProviderException.FromTransportFailure(_validator.Provider, ex, _validator.ApiKey));
            }

            Accept(read);
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryHandOn(buffer.Span, out var copied))
            {
                return copied;
            }

            int read;
            try
            {
                read = await _inner.ReadAsync(PrepareFill(), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw Fail(ProviderException.FromTransportFailure(_validator.Provider, ex, _validator.ApiKey));
            }

            Accept(read);
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            ReturnBuffer();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        ReturnBuffer();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(EventId = AiAllinEventIds.ProviderStreamError, Level = LogLevel.Warning, Message = "{Provider} stream failed: {Failure}")]
    private static partial void LogStreamFailed(ILogger logger, string provider, string failure);

    private void ReturnBuffer()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    // Copies checked bytes out; returns false when more must be read first. Once every byte before a bad event was
    // handed on, the failure is thrown.
    private bool TryHandOn(Span<byte> destination, out int copied)
    {
        copied = 0;
        if (_start < _released)
        {
            copied = Math.Min(destination.Length, _released - _start);
            _buffer.AsSpan(_start, copied).CopyTo(destination);
            _start += copied;
            return true;
        }

        if (_failure is not null)
        {
            throw _failure;
        }

        return _innerDone || destination.IsEmpty;
    }

    // Drops the bytes already handed on (all of [0, _released) by now) and makes room at the end.
    private Memory<byte> PrepareFill()
    {
        var shift = _released;
        if (shift > 0)
        {
            _buffer.AsSpan(shift, _end - shift).CopyTo(_buffer);
            _end -= shift;
            _lineStart -= shift;
            _scan -= shift;
            _dataStart -= shift;
            _typeStart -= shift;
            if (_eventStart >= 0)
            {
                _eventStart -= shift;
            }

            _start = 0;
            _released = 0;
        }

        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsMemory(_end);
    }

    private void Accept(int read)
    {
        _end += read;
        _innerDone = read == 0;
        if (_atStart)
        {
            if (_end - _lineStart < ByteOrderMark.Length && !_innerDone && ByteOrderMark.AsSpan().StartsWith(_buffer.AsSpan(_lineStart, _end - _lineStart)))
            {
                return;
            }

            _atStart = false;
            if (_buffer.AsSpan(_lineStart, _end - _lineStart).StartsWith(ByteOrderMark))
            {
                _lineStart += ByteOrderMark.Length;
                _scan = _lineStart;
            }
        }

        while (_scan < _end)
        {
            var terminator = _buffer.AsSpan(_scan, _end - _scan).IndexOfAny((byte)'\r', (byte)'\n');
            if (terminator < 0)
            {
                _scan = _end;
                break;
            }

            var lineEnd = _scan + terminator;
            var next = lineEnd + 1;
            if (_buffer[lineEnd] == (byte)'\r')
            {
                if (next == _end && !_innerDone)
                {
                    // A CR at the end of what arrived may be the first half of a CRLF; decide when more arrives.
                    _scan = lineEnd;
                    return;
                }

                if (next < _end && _buffer[next] == (byte)'\n')
                {
                    next++;
                }
            }

            if (!OnLine(_lineStart, lineEnd, ref next))
            {
                return;
            }

            _lineStart = next;
            _scan = next;
        }

        if (_innerDone && _failure is null)
        {
            // A last line without its terminator is still a line, and a last event without its blank line is still checked.
            var end = _end;
            if (end > _lineStart && !OnLine(_lineStart, end, ref end))
            {
                return;
            }

            if (Dispatch(ref end))
            {
                _released = _end;
            }
        }
    }

    // Handles the line [lineStart, lineEnd) whose terminator ends at next; returns false when the stream must stop.
    private bool OnLine(int lineStart, int lineEnd, ref int next)
    {
        var line = _buffer.AsSpan(lineStart, lineEnd - lineStart);
        if (line.IsEmpty)
        {
            if (!Dispatch(ref next))
            {
                return false;
            }

            _released = next;
            return true;
        }

        if (_eventStart < 0)
        {
            _eventStart = lineStart;
        }

        if (line[0] == (byte)':')
        {
            return true;
        }

        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        var valueOffset = colon < 0 ? line.Length : colon + 1;
        if (valueOffset < line.Length && line[valueOffset] == (byte)' ')
        {
            valueOffset++;
        }

        if (field.SequenceEqual(DataField))
        {
            AddData(lineStart + valueOffset, line.Length - valueOffset);
        }
        else if (field.SequenceEqual(EventField))
        {
            _typeStart = lineStart + valueOffset;
            _typeLength = line.Length - valueOffset;
        }

        return true;
    }

    private void AddData(int start, int length)
    {
        if (_dataLines == 0)
        {
            _dataStart = start;
            _dataLength = length;
        }
        else
        {
            if (_dataLines == 1)
            {
                _joined.Clear();
                _joined.AddRange(_buffer.AsSpan(_dataStart, _dataLength));
            }

            _joined.Add((byte)'\n');
            _joined.AddRange(_buffer.AsSpan(start, length));
        }

        _dataLines++;
    }

    // Checks the event gathered so far, which ends where its blank line ends (eventEnd); a rewritten event moves
    // eventEnd. On failure nothing from the event's first line on is handed on.
    private bool Dispatch(ref int eventEnd)
    {
        var dataLines = _dataLines;
        var eventStart = _eventStart;
        _dataLines = 0;
        _eventStart = -1;
        var typeLength = _typeLength;
        _typeLength = 0;
        if (dataLines == 0)
        {
            return true;
        }

        _events++;
        var sseEvent = new SseEvent(
            typeLength == 0 ? [] : _buffer.AsSpan(_typeStart, typeLength),
            dataLines == 1 ? _buffer.AsSpan(_dataStart, _dataLength) : CollectionsMarshal.AsSpan(_joined),
            _events);
        if (_validator.Validate(sseEvent) is { } failure)
        {
            Fail(failure);
            _end = eventStart;
            return false;
        }

        if (_validator.Rewrite(sseEvent) is { } data)
        {
            eventEnd = ReplaceEvent(eventStart, eventEnd, data);
        }

        return true;
    }

    // Rewrites the event [eventStart, eventEnd) as its non-data lines plus one data line holding the given data; rare,
    // so it simply rebuilds. Returns the new end of the event.
    private int ReplaceEvent(int eventStart, int eventEnd, byte[] data)
    {
        var original = _buffer.AsSpan(eventStart, eventEnd - eventStart);
        var rebuilt = new List<byte>(original.Length + data.Length);
        var dataWritten = false;
        foreach (var range in original.SplitAny((byte)'\r', (byte)'\n'))
        {
            var line = original[range];
            if (line.IsEmpty)
            {
                continue;
            }

            var colon = line.IndexOf((byte)':');
            if (colon != 0 && (colon < 0 ? line : line[..colon]).SequenceEqual(DataField))
            {
                if (!dataWritten)
                {
                    rebuilt.AddRange("data: "u8);
                    rebuilt.AddRange(data);
                    rebuilt.Add((byte)'\n');
                    dataWritten = true;
                }

                continue;
            }

            rebuilt.AddRange(line);
            rebuilt.Add((byte)'\n');
        }

        rebuilt.Add((byte)'\n');
        var tail = _end - eventEnd;
        var needed = eventStart + rebuilt.Count + tail;
        if (needed > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan(0, eventStart).CopyTo(larger);
            _buffer.AsSpan(eventEnd, tail).CopyTo(larger.AsSpan(eventStart + rebuilt.Count));
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else
        {
            _buffer.AsSpan(eventEnd, tail).CopyTo(_buffer.AsSpan(eventStart + rebuilt.Count));
        }

        CollectionsMarshal.AsSpan(rebuilt).CopyTo(_buffer.AsSpan(eventStart));
        var newEnd = eventStart + rebuilt.Count;
        _end = newEnd + tail;
        return newEnd;
    }

    private Exception Fail(Exception failure)
    {
        _failure = failure;
        _innerDone = true;
        LogStreamFailed(_logger, _validator.Provider, failure.Message);
        return failure;
    }
}
