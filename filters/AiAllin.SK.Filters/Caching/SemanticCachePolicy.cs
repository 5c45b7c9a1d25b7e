using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Filters.Caching;

/// <summary>
/// The semantic response cache: the last user message is embedded and searched in a vector store collection among
/// entries of the same partition and the same context (everything else in the request, hashed exactly); the closest
/// one at or above <see cref="SemanticCacheOptions.SimilarityThreshold"/> is served, as a response or replayed as a
/// stream. Works on any <see cref="VectorStore"/> (in-memory, PostgreSQL + pgvector, ...).
/// </summary>
/// <remarks>
/// Like <see cref="CachePolicy"/>: a failing store or generator never fails a call (the model answers, a warning is
/// logged), and only completed streams are stored.
/// </remarks>
public sealed class SemanticCachePolicy
{
    private readonly CacheEngine _engine;
    private readonly VectorStoreCacheBackend _backend;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="SemanticCachePolicy"/> class.</summary>
    /// <param name="vectorStore">The store holding the entries.</param>
    /// <param name="embeddingGenerator">The generator embedding prompts.</param>
    /// <param name="options">The settings; validated here (their store and generator are ignored in favour of the parameters).</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <param name="timeProvider">The clock for entry ages; the system clock when null.</param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public SemanticCachePolicy(
        VectorStore vectorStore,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        SemanticCacheOptions? options = null,
        ILogger<SemanticCachePolicy>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(vectorStore);
        ArgumentNullException.ThrowIfNull(embeddingGenerator);
        options ??= new SemanticCacheOptions();
        options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var settings = new CacheSettings(
            "Semantic",
            options.Ttl,
            options.MaxAge,
            options.MaxEntrySize,
            options.PartitionSelector,
            [.. options.Tags],
            options.CacheStreaming,
            options.CacheToolCalls,
            options.JsonSerializerOptions);
        _backend = new VectorStoreCacheBackend(vectorStore, embeddingGenerator, options, settings, _logger);
        _engine = new CacheEngine(_backend, settings, _logger, timeProvider ?? TimeProvider.System);
        _backend.OldestValid = _engine.OldestValid;
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

    /// <summary>Removes one entry (a response's <see cref="CacheOptions.KeyProperty"/>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>A task that completes when the entry is removed.</returns>
    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        await _backend.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        CacheLog.Invalidated(_logger, "Semantic", "one key");
    }

    /// <summary>Removes every entry tagged <paramref name="tag"/>.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>The number of entries removed.</returns>
    public async ValueTask<int> InvalidateTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        var removed = await _backend.DeleteWhereAsync(r => r.Tags.Contains(tag), cancellationToken).ConfigureAwait(false);
        CacheLog.Invalidated(_logger, "Semantic", "a tag");
        return removed;
    }

    /// <summary>Removes every entry of one partition (tenant or user).</summary>
    /// <param name="partition">The partition value, as the selector returns it.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>The number of entries removed.</returns>
    public async ValueTask<int> InvalidatePartitionAsync(string partition, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(partition);
        var hashed = CanonicalRequestWriter.HashPartition(partition);
        var removed = await _backend.DeleteWhereAsync(r => r.Partition == hashed, cancellationToken).ConfigureAwait(false);
        CacheLog.Invalidated(_logger, "Semantic", "a partition");
        return removed;
    }

    /// <summary>Ignores entries created before <paramref name="cutoff"/> from now on and deletes them from the store.</summary>
    /// <param name="cutoff">Entries created earlier are removed.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>The number of entries removed.</returns>
    public async ValueTask<int> InvalidateOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        _engine.SetCutoff(cutoff);
        var before = cutoff.ToUnixTimeMilliseconds();
        var removed = await _backend.DeleteWhereAsync(r => r.CreatedAt < before, cancellationToken).ConfigureAwait(false);
        CacheLog.CutoffSet(_logger, "Semantic", cutoff);
        return removed;
    }
}
