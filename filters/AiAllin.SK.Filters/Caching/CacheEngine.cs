using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters.Caching;

/// <summary>
/// The read-through logic the exact and semantic caches share: bypass rules, freshness (TTL, max age, cut-off), the
/// size and tool-call rules, stream capture and replay, and degrading to the model when the backend fails.
/// </summary>
internal sealed class CacheEngine
{
    private readonly CacheBackend _backend;
    private readonly CacheSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private long _cutoffUnixMs = long.MinValue;

    public CacheEngine(CacheBackend backend, CacheSettings settings, ILogger logger, TimeProvider time)
    {
        _backend = backend;
        _settings = settings;
        _logger = logger;
        _time = time;
    }

    /// <summary>Gets the creation time before which entries are ignored (from MaxAge and the cut-off).</summary>
    public DateTimeOffset OldestValid(DateTimeOffset now)
    {
        var oldest = now - _settings.Ttl;
        if (_settings.MaxAge is { } maxAge && now - maxAge > oldest)
        {
            oldest = now - maxAge;
        }

        var cutoff = Interlocked.Read(ref _cutoffUnixMs);
        if (cutoff != long.MinValue && DateTimeOffset.FromUnixTimeMilliseconds(cutoff) > oldest)
        {
            oldest = DateTimeOffset.FromUnixTimeMilliseconds(cutoff);
        }

        return oldest;
    }

    /// <summary>Ignores every entry created before <paramref name="cutoff"/> (in this process).</summary>
    public void SetCutoff(DateTimeOffset cutoff)
    {
        var value = cutoff.ToUnixTimeMilliseconds();
        long current;
        do
        {
            current = Interlocked.Read(ref _cutoffUnixMs);
            if (current >= value)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _cutoffUnixMs, value, current) != current);
    }

    public string? SelectPartition(ChatOptions? options) => _settings.SelectPartition(options);

    public CacheRequest CreateRequest(IChatClient inner, IList<ChatMessage> messages, ChatOptions? options) =>
        new(
            messages,
            options,
            CanonicalRequestWriter.HashPartition(_settings.SelectPartition(options)),
            inner.GetService<ChatClientMetadata>()?.DefaultModelId,
            _settings.SelectTags(options),
            _time.GetUtcNow());

    public async Task<ChatResponse> GetResponseAsync(
        IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        if (CacheSettings.IsBypassed(options))
        {
            CacheLog.Bypassed(_logger, _settings.Name, "requested by the call");
            return await inner.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        }

        var request = CreateRequest(inner, list, options);
        var (lookup, entry) = await LookupAsync(request, cancellationToken).ConfigureAwait(false);
        if (entry is not null)
        {
            var cached = entry.ToResponse();
            Mark(cached.AdditionalProperties ??= [], "hit", lookup!.Key);
            return cached;
        }

        var response = await inner.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        if (lookup is not null)
        {
            await StoreResponseAsync(lookup, response, cancellationToken).ConfigureAwait(false);
            Mark(response.AdditionalProperties ??= [], "miss", lookup.Key);
        }

        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        CacheLookup? lookup = null;
        CacheEntry? entry = null;
        if (!_settings.CacheStreaming || CacheSettings.IsBypassed(options))
        {
            CacheLog.Bypassed(_logger, _settings.Name, _settings.CacheStreaming ? "requested by the call" : "streaming is not cached");
        }
        else
        {
            (lookup, entry) = await LookupAsync(CreateRequest(inner, list, options), cancellationToken).ConfigureAwait(false);
        }

        if (entry is not null)
        {
            var updates = entry.ToUpdates();
            for (var i = 0; i < updates.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var update = updates[i];
                if (i == 0)
                {
                    Mark(update.AdditionalProperties ??= [], "hit", lookup!.Key);
                }

                yield return update;
            }

            yield break;
        }

        using var capture = lookup is null
            ? null
            : new StreamCapture(lookup.Request.Now, _settings.MaxEntrySize, !_settings.CacheToolCalls, _settings.Json);
        var completed = false;
        try
        {
            await foreach (var update in inner.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
            {
                capture?.Add(update);
                yield return update;
            }

            completed = true;
        }
        finally
        {
            if (!completed && lookup is not null)
            {
                CacheLog.StreamNotStored(_logger, _settings.Name, lookup.Key);
            }
        }

        if (capture is not null)
        {
            var data = capture.Complete();
            if (data is not null)
            {
                await StoreAsync(lookup!, data, cancellationToken).ConfigureAwait(false);
            }
            else if (capture.HasToolCalls)
            {
                CacheLog.ToolCallsNotStored(_logger, _settings.Name, lookup!.Key);
            }
            else
            {
                CacheLog.TooLarge(_logger, _settings.Name, lookup!.Key, _settings.MaxEntrySize);
            }
        }
    }

    private static void Mark(AdditionalPropertiesDictionary properties, string status, string key)
    {
        properties[CacheOptions.StatusProperty] = status;
        properties[CacheOptions.KeyProperty] = key;
    }

    private static bool HasToolCalls(ChatResponse response)
    {
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private async ValueTask<(CacheLookup? Lookup, CacheEntry? Entry)> LookupAsync(CacheRequest request, CancellationToken cancellationToken)
    {
        CacheLookup? lookup;
        try
        {
            lookup = await _backend.LookupAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // The cache is an optimisation: an unreachable backend must not fail the call. Nothing is written either,
            // since the write would most likely fail the same way and only add latency.
            CacheLog.ReadFailed(_logger, _settings.Name, ex);
            return (null, null);
        }

        if (lookup is null)
        {
            return (null, null);
        }

        if (lookup.Entry is null)
        {
            CacheLog.Miss(_logger, _settings.Name, lookup.Key);
            return (lookup, null);
        }

        CacheEntry entry;
        try
        {
            entry = CacheEntry.Decode(lookup.Entry, _settings.Json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            CacheLog.ReadFailed(_logger, _settings.Name, ex);
            return (lookup, null);
        }

        if (entry.CreatedAt < OldestValid(request.Now))
        {
            CacheLog.Stale(_logger, _settings.Name, lookup.Key, entry.CreatedAt);
            return (lookup, null);
        }

        CacheLog.Hit(_logger, _settings.Name, lookup.Key);
        return (lookup, entry);
    }

    private async ValueTask StoreResponseAsync(CacheLookup lookup, ChatResponse response, CancellationToken cancellationToken)
    {
        if (!_settings.CacheToolCalls && HasToolCalls(response))
        {
            CacheLog.ToolCallsNotStored(_logger, _settings.Name, lookup.Key);
            return;
        }

        byte[]? data;
        try
        {
            data = CacheEntry.Encode(response, lookup.Request.Now, _settings.MaxEntrySize, _settings.Json);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            CacheLog.WriteFailed(_logger, _settings.Name, lookup.Key, ex);
            return;
        }

        if (data is null)
        {
            CacheLog.TooLarge(_logger, _settings.Name, lookup.Key, _settings.MaxEntrySize);
            return;
        }

        await StoreAsync(lookup, data, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask StoreAsync(CacheLookup lookup, byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            await _backend.StoreAsync(lookup, data, cancellationToken).ConfigureAwait(false);
            CacheLog.Stored(_logger, _settings.Name, lookup.Key, data.Length);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller left after the answer was complete; it is returned, just not stored.
        }
        catch (Exception ex)
        {
            CacheLog.WriteFailed(_logger, _settings.Name, lookup.Key, ex);
        }
    }
}
