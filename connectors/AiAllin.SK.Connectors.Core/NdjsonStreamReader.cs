using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AiAllin.SK.Connectors.Core;

/// <summary>
/// Reads a newline-delimited JSON response (Ollama, Gemini without <c>alt=sse</c>, TEI) as typed values, one per line.
/// </summary>
/// <remarks>
/// CRLF and blank lines are tolerated and lines of any length are read without being copied into strings. A line
/// holding <c>{"error": …}</c> becomes a <see cref="ProviderException"/> instead of a silent end; a line that is not
/// valid JSON for the type becomes a <see cref="ProviderStreamException"/> naming the line number, after all earlier
/// values were yielded. The stream is not disposed.
/// </remarks>
public static class NdjsonStreamReader
{
    private const string ChunkKind = "line";

    // Only the start of an offending line is shown, so only that much is decoded.
    private const int MaxRawBytes = 4096;

    /// <summary>Reads each line as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The line type.</typeparam>
    /// <param name="stream">The response stream; the caller keeps ownership.</param>
    /// <param name="provider">The provider name used in exceptions.</param>
    /// <param name="typeInfo">Source-generated metadata for <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The values in order.</returns>
    public static IAsyncEnumerable<T> ReadAsync<T>(Stream stream, string provider, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return ReadCoreAsync(stream, provider, typeInfo, cancellationToken);
    }

    private static async IAsyncEnumerable<T> ReadCoreAsync<T>(Stream stream, string provider, JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            var lineNumber = 0;
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw ProviderException.FromTransportFailure(provider, ex);
                }

                var buffer = result.Buffer;
                while (TryTakeLine(ref buffer, out var line))
                {
                    lineNumber++;
                    if (ParseLine(line, lineNumber, provider, typeInfo, out var value))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        yield return value;
                    }
                }

                if (result.IsCompleted)
                {
                    // The last line may lack its newline; a truncated one is reported like any malformed line.
                    if (!buffer.IsEmpty && ParseLine(buffer, lineNumber + 1, provider, typeInfo, out var last))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        yield return last;
                    }

                    yield break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is not { } position)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, position);
        buffer = buffer.Slice(buffer.GetPosition(1, position));
        return true;
    }

    private static bool ParseLine<T>(ReadOnlySequence<byte> line, int lineNumber, string provider, JsonTypeInfo<T> typeInfo, out T value)
    {
        value = default!;
        if (IsBlank(line))
        {
            return false;
        }

        // JSON treats '\r' as whitespace, so CRLF lines need no trimming.
        var chunk = StreamChunk<T>.Parse(new Utf8JsonReader(line), typeInfo);
        switch (chunk.Kind)
        {
            case StreamChunkKind.Value:
                value = chunk.Value!;
                return true;
            case StreamChunkKind.Error:
                throw ProviderException.FromStreamError(provider, line.ToArray());
            default:
                var shown = line.Length > MaxRawBytes ? line.Slice(0, MaxRawBytes) : line;
                throw new ProviderStreamException(provider, Encoding.UTF8.GetString(shown).TrimEnd('\r'), lineNumber, ChunkKind, chunk.Error);
        }
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            if (!segment.Span.Trim(" \t\r"u8).IsEmpty)
            {
                return false;
            }
        }

        return true;
    }
}
