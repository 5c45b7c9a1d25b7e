using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// A read-through view of an SSE response body that hands on only complete events and checks each one on the way
/// (data lines joined as the SSE rules say; LF, CRLF or CR line ends): JSON or <c>[DONE]</c> passes unchanged; data
/// that is not JSON, a JSON object with an <c>error</c> member or an <c>"object": "error"</c> member, or an
/// <c>event: error</c> stops the stream. The events before it are still handed on (so their updates are delivered),
/// and the next read throws <see cref="ProviderStreamException"/> (naming the event's data) or
/// <see cref="ProviderException"/> (carrying the server's error message).
/// </summary>
/// <remarks>
/// The OpenAI SDK deserializes an <c>{"error": …}</c> event into an empty update and ends normally, and it reports
/// a malformed event with a bare <see cref="JsonException"/>; both are fixed here, below the SDK, so every client
/// built on it (chat, Azure) gets the same behaviour. A connection dropped mid-stream becomes a transient
/// <see cref="ProviderException"/> unless the caller cancelled.
/// </remarks>
internal sealed partial class OpenAISseGuardStream : Stream
{
    private const int InitialBufferSize = 16 * 1024;
    private static readonly byte[] DataField = "data"u8.ToArray();
    private static readonly byte[] EventField = "event"u8.ToArray();
    private static readonly byte[] DoneMarker = "[DONE]"u8.ToArray();
    private static readonly byte[] ErrorProperty = "error"u8.ToArray();
    private static readonly byte[] QuotedErrorProperty = "\"error\""u8.ToArray();
    private static readonly byte[] ObjectProperty = "object"u8.ToArray();
    private const int RememberedEvents = 16;

    private readonly Stream _inner;
    private readonly string _provider;
    private readonly string? _apiKey;
    private readonly ILogger _logger;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _checkedEnd;
    private int _end;
    private int _events;
    private int _remembered;
    private int _lineStart;
    private int _scanFrom;
    private int _eventStart = -1;
    private int _dataStart;
    private int _dataLength;
    private int _dataLines;
    private bool _errorEvent;
    private readonly List<byte> _joined = [];
    private readonly byte[][] _recent = new byte[RememberedEvents][];
    private readonly int[] _recentLengths = new int[RememberedEvents];
    private readonly int[] _recentNumbers = new int[RememberedEvents];
    private bool _endOfStream;
    private bool _stopped;
    private Exception? _failure;

    /// <summary>Wraps a response body.</summary>
    /// <param name="inner">The SSE body; disposed with this stream.</param>
    /// <param name="provider">The provider name used in exceptions.</param>
    /// <param name="apiKey">The key, redacted from exception texts.</param>
    /// <param name="logger">Logs the failure that stops a stream.</param>
    public OpenAISseGuardStream(Stream inner, string provider, string? apiKey, ILogger logger)
    {
        _inner = inner;
        _provider = provider;
        _apiKey = apiKey;
        _logger = logger;
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
            if (TryCopyChecked(buffer, out var copied))
            {
                return copied;
            }

            if (!PrepareFill())
            {
                return 0;
            }

            int read;
            try
            {
                read = _inner.Read(_buffer, _end, _buffer.Length - _end);
            }
            catch (IOException ex)
            {
                throw Fail(ProviderException.FromTransportFailure(_provider, ex, _apiKey));
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
            if (TryCopyChecked(buffer.Span, out var copied))
            {
                return copied;
            }

            if (!PrepareFill())
            {
                return 0;
            }

            int read;
            try
            {
                read = await _inner.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw Fail(ProviderException.FromTransportFailure(_provider, ex, _apiKey));
            }

            Accept(read);
        }
    }

    /// <summary>
    /// Finds, among the last events handed on, the one the SDK could not parse, and returns the exception naming it
    /// (or the provider's error it carried); <see langword="null"/> when none of them is at fault.
    /// </summary>
    /// <param name="cause">The SDK's parse failure.</param>
    /// <returns>The exception to throw instead, or <see langword="null"/>.</returns>
    public ProviderException? FindMalformed(JsonException cause)
    {
        var count = Math.Min(_remembered, RememberedEvents);
        for (var i = count; i >= 1; i--)
        {
            var slot = (_remembered - i + RememberedEvents * 2) % RememberedEvents;
            if (_recent[slot] is not { } bytes)
            {
                continue;
            }

            var payload = bytes.AsSpan(0, _recentLengths[slot]);
            try
            {
                if (IsErrorObject(payload))
                {
                    return ProviderException.FromStreamError(_provider, payload);
                }
            }
            catch (JsonException)
            {
                return new ProviderStreamException(_provider, SecretRedactor.Redact(Encoding.UTF8.GetString(payload), _apiKey), _recentNumbers[slot], "event", cause);
            }
        }

        return null;
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
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    // Reads the whole payload (a JsonException means it is malformed) and returns whether it is an object with a
    // top-level "error" member that is an object or a string, or with "object": "error" (the flat error older vLLM
    // and other servers send mid-stream, where a chunk would say "chat.completion.chunk"). Member values are skipped
    // in one call each, which checks them as fast as the reader can.
    private static bool IsErrorObject(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            ReadToEnd(ref reader);
            return false;
        }

        var isError = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isErrorMember = reader.ValueTextEquals(ErrorProperty);
            var isObjectMember = !isErrorMember && reader.ValueTextEquals(ObjectProperty);
            reader.Read();
            isError |= isErrorMember && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String;
            isError |= isObjectMember && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(ErrorProperty);
            reader.Skip();
        }

        ReadToEnd(ref reader);
        return isError;
    }

    // Trailing content after the root value is malformed too; the reader throws on it.
    private static void ReadToEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }

    [LoggerMessage(EventId = AiAllinEventIds.ProviderStreamError, Level = LogLevel.Warning, Message = "{Provider} stream failed: {Failure}")]
    private static partial void LogStreamFailed(ILogger logger, string provider, string failure);

    private bool TryCopyChecked(Span<byte> destination, out int copied)
    {
        copied = 0;
        if (_checkedEnd > _start)
        {
            copied = Math.Min(destination.Length, _checkedEnd - _start);
            _buffer.AsSpan(_start, copied).CopyTo(destination);
            _start += copied;
            return true;
        }

        if (_failure is not null)
        {
            throw _failure;
        }

        return destination.IsEmpty;
    }

    // Moves the unreleased tail to the front and makes room; returns false at the end of the stream.
    private bool PrepareFill()
    {
        if (_endOfStream)
        {
            return false;
        }

        var shift = _checkedEnd;
        if (shift > 0)
        {
            Buffer.BlockCopy(_buffer, shift, _buffer, 0, _end - shift);
            _end -= shift;
            _lineStart -= shift;
            _scanFrom -= shift;
            _dataStart -= shift;
            if (_eventStart >= 0)
            {
                _eventStart -= shift;
            }
        }

        _start = 0;
        _checkedEnd = 0;
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        return true;
    }

    private void Accept(int read)
    {
        _end += read;
        if (read == 0)
        {
            _endOfStream = true;
        }

        while (_scanFrom < _end)
        {
            var terminator = _buffer.AsSpan(_scanFrom, _end - _scanFrom).IndexOfAny((byte)'\r', (byte)'\n');
            if (terminator < 0)
            {
                _scanFrom = _end;
                break;
            }

            var lineEnd = _scanFrom + terminator;
            var next = lineEnd + 1;
            if (_buffer[lineEnd] == (byte)'\r')
            {
                if (next == _end && !_endOfStream)
                {
                    // A CR at the end of what arrived may be the first half of a CRLF; decide when more arrives.
                    _scanFrom = lineEnd;
                    return;
                }

                if (next < _end && _buffer[next] == (byte)'\n')
                {
                    next++;
                }
            }

            if (!OnLine(_lineStart, lineEnd, next))
            {
                return;
            }

            _lineStart = next;
            _scanFrom = next;
        }

        if (_endOfStream && !_stopped)
        {
            // A last line without its terminator is still a line, and a last event without its blank line is still checked.
            if (_end > _lineStart && !OnLine(_lineStart, _end, _end))
            {
                return;
            }

            if (DispatchEvent())
            {
                _checkedEnd = _end;
            }
        }
    }

    // Handles one line [lineStart, lineEnd) whose terminator ends at next; returns false when the stream must stop.
    private bool OnLine(int lineStart, int lineEnd, int next)
    {
        var line = _buffer.AsSpan(lineStart, lineEnd - lineStart);
        if (line.IsEmpty)
        {
            if (!DispatchEvent())
            {
                return false;
            }

            _checkedEnd = next;
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
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (field.SequenceEqual(DataField))
        {
            if (_dataLines == 0)
            {
                _dataStart = lineEnd - value.Length;
                _dataLength = value.Length;
            }
            else
            {
                if (_dataLines == 1)
                {
                    _joined.Clear();
                    _joined.AddRange(_buffer.AsSpan(_dataStart, _dataLength));
                }

                _joined.Add((byte)'\n');
                _joined.AddRange(value);
            }

            _dataLines++;
        }
        else if (field.SequenceEqual(EventField))
        {
            _errorEvent = value.SequenceEqual(ErrorProperty);
        }

        return true;
    }

    // Checks the event gathered so far (its data lines joined by LF); on failure keeps every byte before the event.
    private bool DispatchEvent()
    {
        var dataLines = _dataLines;
        var errorEvent = _errorEvent;
        _dataLines = 0;
        _errorEvent = false;
        var eventStart = _eventStart;
        _eventStart = -1;
        if (dataLines == 0)
        {
            return true;
        }

        _events++;
        var payload = (dataLines == 1 ? _buffer.AsSpan(_dataStart, _dataLength) : CollectionsMarshal.AsSpan(_joined)).Trim((byte)' ');
        if (payload.IsEmpty || payload.SequenceEqual(DoneMarker))
        {
            return true;
        }

        // Reading every event in full cost about 10% of the client's time per chunk, so an event that starts and ends
        // like an object and never mentions "error" is only kept for FindMalformed; the SDK parses it anyway.
        if (!errorEvent && payload[0] == (byte)'{' && payload[^1] == (byte)'}' && payload.IndexOf(QuotedErrorProperty) < 0)
        {
            Remember(payload);
            return true;
        }

        Exception? failure;
        try
        {
            failure = errorEvent || IsErrorObject(payload) ? ProviderException.FromStreamError(_provider, payload) : null;
        }
        catch (JsonException ex)
        {
            failure = new ProviderStreamException(_provider, SecretRedactor.Redact(Encoding.UTF8.GetString(payload), _apiKey), _events, "event", ex);
        }

        if (failure is null)
        {
            return true;
        }

        Fail(failure);
        _stopped = true;
        _end = eventStart;
        return false;
    }

    private void Remember(ReadOnlySpan<byte> payload)
    {
        var slot = _remembered % RememberedEvents;
        if (_recent[slot] is not { } bytes || bytes.Length < payload.Length)
        {
            _recent[slot] = bytes = new byte[Math.Max(payload.Length, 512)];
        }

        payload.CopyTo(bytes);
        _recentLengths[slot] = payload.Length;
        _recentNumbers[slot] = _events;
        _remembered++;
    }

    private Exception Fail(Exception failure)
    {
        _failure = failure;
        _endOfStream = true;
        LogStreamFailed(_logger, _provider, failure.Message);
        return failure;
    }
}
