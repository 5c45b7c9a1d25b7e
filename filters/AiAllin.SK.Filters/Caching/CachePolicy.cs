using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Filters.Caching;

/// <summary>
/// The exact-match response cache: a request whose canonical form (model, messages with their tool calls and results,
/// tools, relevant options, partition) was answered before gets the stored answer, as a response or replayed as a
/// stream. Entries live in a <see cref="HybridCache"/>, so with a distributed cache (Redis) registered under it, every
/// process sharing that cache shares the hits. See <see cref="CacheOptions"/> for the rules.
/// </summary>
/// <remarks>
/// A failing backend never fails a call: the model is called and a warning logged. A stream is stored only once it
/// completes; one that fails, is cancelled or is abandoned midway is not. Concurrent identical misses each call the
/// model (only finished answers are cached).
/// </remarks>
public sealed class CachePolicy
{
    private readonly CacheEngine _engine;
    private readonly HybridCacheBackend _backend;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="CachePolicy"/> class.</summary>
    /// <param name="cache">The cache holding the entries (with Redis as its distributed cache to share them).</param>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <param name="timeProvider">The clock for entry ages; the system clock when null.</param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public CachePolicy(HybridCache cache, CacheOptions? options = null, ILogger<CachePolicy>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        options ??= new CacheOptions();
        options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        var settings = new CacheSettings(
            "Exact",
            options.Ttl,
            options.MaxAge,
            options.MaxEntrySize,
            options.PartitionSelector,
            [.. options.Tags],
            options.CacheStreaming,
            options.CacheToolCalls,
            options.JsonSerializerOptions);
        _backend = new HybridCacheBackend(cache, settings, options.KeyPrefix, options.UseLocalCache, options.LocalCacheExpiration, _logger);
        _engine = new CacheEngine(_backend, settings, _logger, _time);
    }

    /// <summary>Answers from the cache, or from <paramref name="inner"/> storing the answer.</summary>
    /// <param name="inner">The client that answers misses.</param>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>The response, marked with <see cref="CacheOptions.StatusProperty"/> and <see cref="CacheOptions.KeyProperty"/>.</returns>
    public Task<ChatResponse> GetResponseAsync(
        IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(messages);
        return _engine.GetResponseAsync(inner, messages, options, cancellationToken);
    }

    /// <summary>Replays a cached stream update by update, or streams from <paramref name="inner"/> and stores the stream once it completes.</summary>
    /// <param name="inner">The client that answers misses.</param>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>The updates.</returns>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(messages);
        return _engine.GetStreamingResponseAsync(inner, messages, options, cancellationToken);
    }

    /// <summary>Computes the key a request is cached under (a prefix, a version and a SHA-256; no prompt text).</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The options (the partition is taken from them).</param>
    /// <param name="defaultModelId">The model of the client when the options name none.</param>
    /// <returns>The key.</returns>
    public string ComputeKey(IEnumerable<ChatMessage> messages, ChatOptions? options = null, string? defaultModelId = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        return _backend.ComputeKey(new CacheRequest(
            list, options, CanonicalRequestWriter.HashPartition(_engine.SelectPartition(options)), defaultModelId, [], _time.GetUtcNow()));
    }

    /// <summary>Removes one entry (key from <see cref="ComputeKey"/> or a response's <see cref="CacheOptions.KeyProperty"/>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>A task that completes when the entry is removed.</returns>
    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        await _backend.Cache.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        CacheLog.Invalidated(_logger, "Exact", "one key");
    }

    /// <summary>Removes every entry tagged <paramref name="tag"/> (configured or per-call tags).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>A task that completes when the tag is invalidated.</returns>
    public async ValueTask InvalidateTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        await _backend.Cache.RemoveByTagAsync(tag, cancellationToken).ConfigureAwait(false);
        CacheLog.Invalidated(_logger, "Exact", "a tag");
    }

    /// <summary>Removes every entry of one partition (tenant or user).</summary>
    /// <param name="partition">The partition value, as the selector returns it.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>A task that completes when the partition is invalidated.</returns>
    public async ValueTask InvalidatePartitionAsync(string partition, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(partition);
        await _backend.Cache.RemoveByTagAsync(_backend.PartitionTag(CanonicalRequestWriter.HashPartition(partition)), cancellationToken).ConfigureAwait(false);
        CacheLog.Invalidated(_logger, "Exact", "a partition");
    }

    /// <summary>Removes every entry this cache (this <see cref="CacheOptions.KeyPrefix"/>) wrote.</summary>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>A task that completes when the entries are invalidated.</returns>
    public async ValueTask InvalidateAllAsync(CancellationToken cancellationToken = default)
    {
        await _backend.Cache.RemoveByTagAsync(_backend.AllTag, cancellationToken).ConfigureAwait(false);
        CacheLog.Invalidated(_logger, "Exact", "every entry");
    }

    /// <summary>
    /// Ignores (and refreshes on the next call) every entry created before <paramref name="cutoff"/>. The cut-off is
    /// held by this policy instance; other processes keep their own (use tags to invalidate across processes).
    /// </summary>
    /// <param name="cutoff">Entries created earlier are ignored; an earlier cut-off than the current one changes nothing.</param>
    public void InvalidateOlderThan(DateTimeOffset cutoff)
    {
        _engine.SetCutoff(cutoff);
        CacheLog.CutoffSet(_logger, "Exact", cutoff);
    }
}
