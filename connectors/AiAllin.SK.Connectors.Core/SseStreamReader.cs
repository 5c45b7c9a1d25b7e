using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AiAllin.SK.Connectors.Core;

/// <summary>
/// Reads a server-sent-events response (OpenAI, Anthropic, Gemini <c>alt=sse</c>, Cohere) as typed JSON values,
/// on top of <see cref="SseParser"/>.
/// </summary>
/// <remarks>
/// Comments and <c>ping</c> events are skipped; the OpenAI-style <c>[DONE]</c> sentinel ends the sequence; an
/// <c>event: error</c> or a <c>{"error":…}</c> payload becomes a <see cref="ProviderException"/>; a payload that is not
/// valid JSON for the type becomes a <see cref="ProviderStreamException"/> after all earlier values were yielded. The
/// stream is not disposed.
/// </remarks>
public static class SseStreamReader
{
    private const string ChunkKind = "event";

    /// <summary>Reads the data of each event as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="stream">The response stream; the caller keeps ownership.</param>
    /// <param name="provider">The provider name used in exceptions.</param>
    /// <param name="typeInfo">Source-generated metadata for <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The payloads in order.</returns>
    public static IAsyncEnumerable<T> ReadAsync<T>(Stream stream, string provider, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ValidateArguments(stream, provider, typeInfo);
        return ReadDataAsync(stream, provider, typeInfo, cancellationToken);
    }

    /// <summary>Reads each event with its event type and id, for protocols that dispatch on the event name (Anthropic).</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="stream">The response stream; the caller keeps ownership.</param>
    /// <param name="provider">The provider name used in exceptions.</param>
    /// <param name="typeInfo">Source-generated metadata for <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The events in order; <see cref="SseItem{T}.EventType"/> is "message" when the server named none.</returns>
    public static IAsyncEnumerable<SseItem<T>> ReadItemsAsync<T>(Stream stream, string provider, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ValidateArguments(stream, provider, typeInfo);
        return ReadItemsCoreAsync(stream, provider, typeInfo, cancellationToken);
    }

    private static void ValidateArguments<T>(Stream stream, string provider, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(typeInfo);
    }

    private static async IAsyncEnumerable<T> ReadDataAsync<T>(Stream stream, string provider, JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in ReadItemsCoreAsync(stream, provider, typeInfo, cancellationToken).ConfigureAwait(false))
        {
            yield return item.Data;
        }
    }

    private static async IAsyncEnumerable<SseItem<T>> ReadItemsCoreAsync<T>(Stream stream, string provider, JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parser = SseParser.Create(stream, (eventType, data) => ParseEvent(eventType, data, typeInfo));
        var events = parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (events.ConfigureAwait(false))
        {
            var eventNumber = 0;
            while (true)
            {
                bool hasEvent;
                try
                {
                    hasEvent = await events.MoveNextAsync().ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw ProviderException.FromTransportFailure(provider, ex);
                }

                if (!hasEvent)
                {
                    yield break;
                }

                eventNumber++;
                var item = events.Current;
                var chunk = item.Data;
                switch (chunk.Kind)
                {
                    case StreamChunkKind.Skip:
                        continue;
                    case StreamChunkKind.Done:
                        yield break;
                    case StreamChunkKind.Error:
                        throw ProviderException.FromStreamError(provider, chunk.Raw ?? []);
                    case StreamChunkKind.Malformed:
                        throw new ProviderStreamException(provider, Encoding.UTF8.GetString(chunk.Raw ?? []), eventNumber, ChunkKind, chunk.Error);
                }

                cancellationToken.ThrowIfCancellationRequested();
                yield return new SseItem<T>(chunk.Value!, item.EventType) { EventId = item.EventId };
            }
        }
    }

    private static StreamChunk<T> ParseEvent<T>(string eventType, ReadOnlySpan<byte> data, JsonTypeInfo<T> typeInfo)
    {
        var trimmed = data.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty || eventType == "ping")
        {
            return StreamChunk<T>.Skip;
        }

        if (eventType == "error")
        {
            return new StreamChunk<T>(StreamChunkKind.Error, default, trimmed.ToArray());
        }

        if (trimmed.SequenceEqual("[DONE]"u8))
        {
            return StreamChunk<T>.Done;
        }

        var chunk = StreamChunk<T>.Parse(new Utf8JsonReader(trimmed), typeInfo);
        return chunk.NeedsRaw ? chunk with { Raw = trimmed.ToArray() } : chunk;
    }
}
