using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>
/// Sits between the HTTP response and the Anthropic SDK's SSE parser and hands over whole events only, after checking
/// that each event's data is JSON. A malformed event is not handed over: every event before it reaches the SDK (so
/// its updates are delivered), then the next read throws a <see cref="ProviderStreamException"/> naming the provider,
/// the event number and the offending data.
/// </summary>
/// <remarks>
/// The SDK on its own reports such a chunk as a bare "invalid data" error without the line, and its parser could
/// otherwise see part of the bad event first. Usage the SDK cannot read is completed on the way
/// (<see cref="AnthropicUsagePatch"/>). Bytes are never buffered beyond the event being read, so streaming
/// stays incremental.
/// </remarks>
internal sealed class AnthropicSseGuardStream : Stream
{
    private const int InitialBufferSize = 16 * 1024;
    private static readonly byte[] DataField = "data:"u8.ToArray();

    private readonly Stream _inner;
    private readonly List<(int Start, int Length)> _dataLines = [];
    private byte[] _buffer;
    private int _start;
    private int _safeEnd;
    private int _end;
    private int _scan;
    private int _eventStart;
    private int _eventNumber;
    private bool _innerDone;
    private ProviderStreamException? _fault;

    public AnthropicSseGuardStream(Stream inner)
    {
        _inner = inner;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (TryHandOut(buffer, out var copied))
            {
                return copied;
            }

            var read = _innerDone ? 0 : _inner.Read(PrepareFill().Span);
            Filled(read);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryHandOut(buffer.Span, out var copied))
            {
                return copied;
            }

            var read = _innerDone ? 0 : await _inner.ReadAsync(PrepareFill(), cancellationToken).ConfigureAwait(false);
            Filled(read);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            ReturnBuffer();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        ReturnBuffer();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private static bool IsJson(ReadOnlySpan<byte> data, out JsonException? error)
    {
        error = null;
        var trimmed = data.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            return true;
        }

        try
        {
            var reader = new Utf8JsonReader(trimmed);
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException ex)
        {
            error = ex;
            return false;
        }
    }

    private void ReturnBuffer()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    // Copies validated bytes out; returns false when more must be read first. Throws the recorded fault once every
    // byte before the bad event has been handed out.
    private bool TryHandOut(Span<byte> destination, out int copied)
    {
        copied = 0;
        if (_start < _safeEnd)
        {
            copied = Math.Min(destination.Length, _safeEnd - _start);
            _buffer.AsSpan(_start, copied).CopyTo(destination);
            _start += copied;
            return true;
        }

        if (_fault is not null)
        {
            throw _fault;
        }

        if (_innerDone)
        {
            if (_start < _end)
            {
                // A last event without its blank line: hand it over as it is and let the parser decide.
                _safeEnd = _end;
                return TryHandOut(destination, out copied);
            }

            return true;
        }

        return destination.IsEmpty;
    }

    private Memory<byte> PrepareFill()
    {
        if (_start > 0)
        {
            var shift = _start;
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= shift;
            _safeEnd -= shift;
            _scan -= shift;
            _eventStart -= shift;
            for (var i = 0; i < _dataLines.Count; i++)
            {
                _dataLines[i] = (_dataLines[i].Start - shift, _dataLines[i].Length);
            }

            _start = 0;
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

    private void Filled(int read)
    {
        if (read == 0)
        {
            _innerDone = true;
            return;
        }

        _end += read;
        while (_fault is null && _scan < _end)
        {
            var newline = _buffer.AsSpan(_scan, _end - _scan).IndexOf((byte)'\n');
            if (newline < 0)
            {
                return;
            }

            var lineStart = _scan;
            var lineLength = newline;
            _scan += newline + 1;
            if (lineLength > 0 && _buffer[lineStart + lineLength - 1] == (byte)'\r')
            {
                lineLength--;
            }

            if (lineLength == 0)
            {
                EndEvent();
            }
            else if (_buffer.AsSpan(lineStart, lineLength).StartsWith(DataField))
            {
                var valueStart = lineStart + DataField.Length;
                if (valueStart < lineStart + lineLength && _buffer[valueStart] == (byte)' ')
                {
                    valueStart++;
                }

                _dataLines.Add((valueStart, lineStart + lineLength - valueStart));
            }
        }
    }

    private void EndEvent()
    {
        if (_dataLines.Count > 0)
        {
            _eventNumber++;
            var data = _dataLines.Count == 1 ? _buffer.AsSpan(_dataLines[0].Start, _dataLines[0].Length) : JoinDataLines();
            _dataLines.Clear();
            if (!IsJson(data, out var error))
            {
                _fault = new ProviderStreamException(AnthropicChatClient.ProviderName, Encoding.UTF8.GetString(data), _eventNumber, "event", error);
                _safeEnd = _eventStart;
                return;
            }

            if (AnthropicUsagePatch.TryPatch(data) is { } patched)
            {
                ReplaceEventData(patched);
            }
        }

        _eventStart = _scan;
        _safeEnd = _scan;
    }

    // Rewrites the event that ends at _scan with one data line holding the given JSON; rare, so it simply rebuilds.
    private void ReplaceEventData(byte[] json)
    {
        var original = _buffer.AsSpan(_eventStart, _scan - _eventStart);
        var rebuilt = new List<byte>(original.Length + 64);
        var dataWritten = false;
        foreach (var range in original.Split((byte)'\n'))
        {
            var line = original[range].TrimEnd((byte)'\r');
            if (line.IsEmpty)
            {
                continue;
            }

            if (line.StartsWith(DataField))
            {
                if (!dataWritten)
                {
                    rebuilt.AddRange("data: "u8);
                    rebuilt.AddRange(json);
                    rebuilt.Add((byte)'\n');
                    dataWritten = true;
                }

                continue;
            }

            rebuilt.AddRange(line);
            rebuilt.Add((byte)'\n');
        }

        rebuilt.Add((byte)'\n');
        var tail = _end - _scan;
        var needed = _eventStart + rebuilt.Count + tail;
        if (needed > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan(0, _eventStart).CopyTo(larger);
            _buffer.AsSpan(_scan, tail).CopyTo(larger.AsSpan(_eventStart + rebuilt.Count));
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else
        {
            _buffer.AsSpan(_scan, tail).CopyTo(_buffer.AsSpan(_eventStart + rebuilt.Count));
        }

        CollectionsMarshal.AsSpan(rebuilt).CopyTo(_buffer.AsSpan(_eventStart));
        _scan = _eventStart + rebuilt.Count;
        _end = _scan + tail;
    }

    private byte[] JoinDataLines()
    {
        // The SSE format joins an event's data lines with line feeds.
        var joined = new List<byte>();
        foreach (var (start, length) in _dataLines)
        {
            if (joined.Count > 0)
            {
                joined.Add((byte)'\n');
            }

            joined.AddRange(_buffer.AsSpan(start, length));
        }

        return [.. joined];
    }
}
