using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Caching;

/// <summary>
/// Serializes a stream's updates as they pass (so later changes by the consumer to the yielded objects cannot leak into
/// the cache), and gives up, freeing its buffer, as soon as the entry would exceed the size limit.
/// </summary>
internal sealed class StreamCapture : IDisposable
{
    private readonly long _maxBytes;
    private readonly bool _rejectToolCalls;
    private readonly JsonTypeInfo _updateInfo;
    private ArrayBufferWriter<byte>? _buffer;
    private Utf8JsonWriter? _writer;

    public StreamCapture(DateTimeOffset createdAt, long maxBytes, bool rejectToolCalls, JsonSerializerOptions json)
    {
        _maxBytes = maxBytes;
        _rejectToolCalls = rejectToolCalls;
        _updateInfo = json.GetTypeInfo(typeof(ChatResponseUpdate));
        _buffer = new ArrayBufferWriter<byte>(1024);
        _writer = new Utf8JsonWriter(_buffer);
        _writer.WriteStartObject();
        _writer.WriteNumber("createdAt", createdAt.ToUnixTimeMilliseconds());
        _writer.WritePropertyName("updates");
        _writer.WriteStartArray();
    }

    /// <summary>Gets a value indicating whether the entry was abandoned because it grew past the size limit.</summary>
    public bool TooLarge { get; private set; }

    /// <summary>Gets a value indicating whether the entry was abandoned because it holds a tool call.</summary>
    public bool HasToolCalls { get; private set; }

    public void Add(ChatResponseUpdate update)
    {
        if (_writer is null)
        {
            return;
        }

        if (_rejectToolCalls)
        {
            var contents = update.Contents;
            for (var i = 0; i < contents.Count; i++)
            {
                if (contents[i] is FunctionCallContent)
                {
                    HasToolCalls = true;
                    Abandon();
                    return;
                }
            }
        }

        JsonSerializer.Serialize(_writer, update, _updateInfo);
        if (_writer.BytesCommitted + _writer.BytesPending > _maxBytes)
        {
            TooLarge = true;
            Abandon();
        }
    }

    /// <summary>Completes the entry; null when it was abandoned.</summary>
    public byte[]? Complete()
    {
        if (_writer is null)
        {
            return null;
        }

        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        var data = _buffer!.WrittenSpan;
        if (data.Length > _maxBytes)
        {
            TooLarge = true;
            Abandon();
            return null;
        }

        var result = data.ToArray();
        Abandon();
        return result;
    }

    public void Dispose() => Abandon();

    private void Abandon()
    {
        _writer?.Dispose();
        _writer = null;
        _buffer = null;
    }
}
