using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Reranking;
using AiAllin.SK.Connectors.HuggingFace.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// An <see cref="IReranker"/> over a text-embeddings-inference (TEI) server running a cross-encoder, through its
/// <c>POST /rerank</c>: the documents are sent in batches of at most the server's client batch size, every batch's
/// scores are merged, and the results come back best first, each naming its document by its index in the caller's
/// list, cut to <see cref="RerankOptions.TopN"/>.
/// </summary>
/// <remarks>
/// A cross-encoder scores each (query, document) pair on its own, so scores from different batches compare directly.
/// Thread-safe; register it as a singleton. TEI serves one model, so <see cref="RerankOptions.ModelId"/> cannot pick
/// another and is not sent.
/// </remarks>
public sealed class TextEmbeddingsInferenceReranker : IReranker, IDisposable
{
    private readonly TextEmbeddingsInferenceRerankerOptions _options;
    private readonly HttpClient _http;
    private readonly ServerLimits _limits;
    private readonly ILogger _logger;

    /// <summary>Creates a reranker; the options are validated.</summary>
    /// <param name="options">The settings; <see cref="ProviderOptions.Endpoint"/> is required.</param>
    /// <param name="loggerFactory">Logs calls and failures without secrets; none when <see langword="null"/>.</param>
    /// <param name="innerHandler">The transport under the retry and error handlers; a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>. Not disposed by this reranker.</param>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    public TextEmbeddingsInferenceReranker(TextEmbeddingsInferenceRerankerOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(TextEmbeddingsInferenceRerankerOptions.DefaultSectionName);
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<TextEmbeddingsInferenceReranker>();
        _http = HuggingFaceHttp.Create(TextEmbeddingsInferenceGenerator.ProviderName, options, options.Endpoint!, loggerFactory, innerHandler, readModelLoadingDelay: false);
        _limits = new ServerLimits(_http, TextEmbeddingsInferenceGenerator.ProviderName, options);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty or white space, or a document is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RerankOptions.TopN"/> is zero or negative.</exception>
    /// <exception cref="ProviderException">The server failed (413 batch too large, 422 text too long, 424 not a reranker model, 429 overloaded) or answered with an unexpected body.</exception>
    public async Task<IReadOnlyList<RerankResult>> RerankAsync(string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        var texts = InputGuard.Materialize(documents, nameof(documents));
        if (options?.TopN is { } topN)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topN, nameof(options));
        }

        if (texts.Length == 0)
        {
            return [];
        }

        var limits = await _limits.GetAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<RerankResult>(texts.Length);
        var requests = 0;
        try
        {
            var batchSize = limits.MaxBatchSize;
            var offset = 0;
            while (offset < texts.Length)
            {
                var count = Math.Min(batchSize, texts.Length - offset);
                var request = new RerankRequest
                {
                    Query = query,
                    Texts = new ArraySegment<string>(texts, offset, count),
                    Truncate = options?.Truncate ?? _options.Truncate,
                    TruncationDirection = HuggingFaceHttp.ToWire(_options.TruncationDirection),
                    RawScores = _options.RawScores,
                };
                byte[] body;
                try
                {
                    (body, _) = await HuggingFaceHttp.PostAsync(_http, TextEmbeddingsInferenceGenerator.ProviderName, "rerank", request, HuggingFaceJsonContext.Default.RerankRequest, headers: null, cancellationToken).ConfigureAwait(false);
                }
                catch (ProviderException ex) when (ServerBatchLimit.From(ex, count) is { } allowed)
                {
                    HuggingFaceLog.BatchSizeLowered(_logger, TextEmbeddingsInferenceGenerator.ProviderName, count, allowed);
                    batchSize = allowed;
                    _limits.Lower(allowed);
                    continue;
                }

                requests++;
                AddBatch(results, Parse(body), offset, count);
                offset += count;
            }
        }
        catch (ProviderException ex)
        {
            HuggingFaceLog.RequestFailed(_logger, TextEmbeddingsInferenceGenerator.ProviderName, "rerank", (int?)ex.StatusCode, ex.Message);
            throw;
        }

        // Best first; equal scores keep the caller's order, so the result does not depend on how batches fell.
        results.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
        if (options?.TopN is { } top && top < results.Count)
        {
            results.RemoveRange(top, results.Count - top);
        }

        HuggingFaceLog.Reranked(_logger, TextEmbeddingsInferenceGenerator.ProviderName, texts.Length, limits.ModelId, requests);
        return results;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _limits.Dispose();
        _http.Dispose();
    }

    private static RerankRank[] Parse(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, HuggingFaceJsonContext.Default.RerankRankArray)
                ?? throw Malformed("the rerank response is null");
        }
        catch (JsonException ex)
        {
            throw new ProviderException(TextEmbeddingsInferenceGenerator.ProviderName, statusCode: null, errorCode: null, "the rerank response is not an array of {index, score}: " + ex.Message, isTransient: false, innerException: ex);
        }
    }

    private static void AddBatch(List<RerankResult> results, RerankRank[] ranks, int offset, int count)
    {
        var seen = new bool[count];
        foreach (var rank in ranks)
        {
            if (rank.Index < 0 || rank.Index >= count || seen[rank.Index])
            {
                throw Malformed($"the rerank response names document {rank.Index}, which is out of range or repeated for a batch of {count}");
            }

            if (!double.IsFinite(rank.Score))
            {
                throw Malformed($"the rerank response scores document {rank.Index} with {rank.Score}");
            }

            seen[rank.Index] = true;
            results.Add(new RerankResult(offset + rank.Index, rank.Score));
        }

        if (ranks.Length != count)
        {
            throw Malformed($"the rerank response scores {ranks.Length} of the {count} documents sent");
        }
    }

    private static ProviderException Malformed(string message) =>
        new(TextEmbeddingsInferenceGenerator.ProviderName, statusCode: null, errorCode: null, message + ".", isTransient: false);
}
