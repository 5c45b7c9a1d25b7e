using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// A read-through view of an SSE response body that hands on only complete lines and checks each <c>data:</c> line
/// on the way: valid JSON or <c>[DONE]</c> passes unchanged; a line that is not JSON, or a JSON object with an
/// <c>error</c> member, stops the stream. The complete events before it are still handed on (so their updates are
/// delivered), and the next read throws <see cref="ProviderStreamException"/> (naming the line) or
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
    private static readonly byte[] DataPrefix = "data:"u8.ToArray();
    private static readonly byte[] DoneMarker = "[DONE]"u8.ToArray();
    private static readonly byte[] ErrorProperty = "error"u8.ToArray();

    private readonly Stream _inner;
    private readonly string _provider;
    private readonly string? _apiKey;
    private readonly ILogger _logger;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _checkedEnd;
    private int _end;
    private int _events;
    private bool _endOfStream;
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

    private static ReadOnlySpan<byte> DataPayload(ReadOnlySpan<byte> line)
    {
        var payload = line[DataPrefix.Length..];
        return payload.Length > 0 && payload[0] == (byte)' ' ? payload[1..] : payload;
    }

    // Returns whether the payload is an object with a top-level "error" member that is an object or a string.
    private static bool IsErrorObject(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        var isError = false;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(ErrorProperty))
            {
                if (!reader.Read())
                {
                    break;
                }

                isError |= reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String;
                reader.Skip();
            }
        }

        return isError;
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

    // Moves the unchecked tail to the front and makes room; returns false at the end of the stream.
    private bool PrepareFill()
    {
        if (_endOfStream)
        {
            return false;
        }

        var pending = _end - _checkedEnd;
        if (_checkedEnd > 0)
        {
            Buffer.BlockCopy(_buffer, _checkedEnd, _buffer, 0, pending);
        }

        _start = 0;
        _checkedEnd = 0;
        _end = pending;
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        return true;
    }

    private void Accept(int read)
    {
        if (read == 0)
        {
            _endOfStream = true;
            if (_end > _checkedEnd)
            {
                // A last line without its newline is still a line.
                CheckLine(_checkedEnd, _end, _end);
            }

            return;
        }

        var scanFrom = _end;
        _end += read;
        while (true)
        {
            var newline = _buffer.AsSpan(scanFrom, _end - scanFrom).IndexOf((byte)'\n');
            if (newline < 0)
            {
                return;
            }

            var lineEnd = scanFrom + newline;
            if (!CheckLine(_checkedEnd, lineEnd, lineEnd + 1))
            {
                return;
            }

            scanFrom = lineEnd + 1;
        }
    }

    // Checks the line [lineStart, lineEnd) and releases it up to next; on a bad line, keeps everything before it and records the failure.
    private bool CheckLine(int lineStart, int lineEnd, int next)
    {
        var line = _buffer.AsSpan(lineStart, lineEnd - lineStart).TrimEnd((byte)'\r');
        if (line.StartsWith(DataPrefix))
        {
            _events++;
            var payload = DataPayload(line).Trim((byte)' ');
            if (!payload.SequenceEqual(DoneMarker) && !payload.IsEmpty)
            {
                Exception? failure;
                try
                {
                    failure = IsErrorObject(payload) ? ProviderException.FromStreamError(_provider, payload) : null;
                }
                catch (JsonException ex)
                {
                    failure = new ProviderStreamException(_provider, SecretRedactor.Redact(Encoding.UTF8.GetString(payload), _apiKey), _events, "event", ex);
                }

                if (failure is not null)
                {
                    Fail(failure);
                    _end = lineStart;
                    return false;
                }
            }
        }

        _checkedEnd = next;
        return true;
    }

    private Exception Fail(Exception failure)
    {
        _failure = failure;
        _endOfStream = true;
        LogStreamFailed(_logger, _provider, failure.Message);
        return failure;
    }
}
