using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Reranking;
using AiAllin.SK.Connectors.Cohere.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// An <see cref="IReranker"/> over Cohere's <c>/v2/rerank</c>: documents sent in batches of at most
/// <see cref="CohereRerankOptions.BatchSize"/> (1,000 by default, Cohere's recommended maximum), the scores of every
/// batch merged, best first, cut to <see cref="RerankOptions.TopN"/>; indices always refer to the caller's list.
/// </summary>
/// <remarks>
/// <see cref="RerankOptions.Truncate"/> <see langword="false"/> is refused: Cohere always cuts a long document to
/// <see cref="CohereRerankOptions.MaxTokensPerDoc"/> and has no setting to make that an error.
/// </remarks>
public sealed class CohereReranker : IReranker, IDisposable
{
    private const string RerankPath = "v2/rerank";

    private readonly CohereRerankOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _logger;

    /// <summary>Creates a reranker; the options are validated.</summary>
    /// <param name="options">The settings; <see cref="ProviderOptions.ApiKey"/> and <see cref="ProviderOptions.Model"/> are required.</param>
    /// <param name="loggerFactory">Logs requests and failures without secrets; none when <see langword="null"/>.</param>
    /// <param name="innerHandler">The transport under the retry and error handlers; a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>. Not disposed by this reranker.</param>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    public CohereReranker(CohereRerankOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(CohereOptions.DefaultSectionName);
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CohereReranker>();
        _http = CohereHttp.Create(options, loggerFactory ?? NullLoggerFactory.Instance, innerHandler);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RerankResult>> RerankAsync(string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentNullException.ThrowIfNull(documents);
        if (options?.TopN is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TopN, "RerankOptions.TopN must be positive.");
        }

        if (options?.Truncate == false)
        {
            throw new ArgumentException("Cohere always truncates long documents (to MaxTokensPerDoc); RerankOptions.Truncate = false cannot be honoured.", nameof(options));
        }

        if (documents.Count == 0)
        {
            return [];
        }

        var model = options?.ModelId ?? _options.Model ?? string.Empty;
        var results = new List<RerankResult>(documents.Count);
        var requests = 0;
        for (var offset = 0; offset < documents.Count; offset += _options.BatchSize)
        {
            var count = Math.Min(_options.BatchSize, documents.Count - offset);
            var batch = new string[count];
            for (var i = 0; i < count; i++)
            {
                batch[i] = documents[offset + i] ?? throw new ArgumentException($"Document {offset + i} is null.", nameof(documents));
            }

            var request = new CohereRerankRequest
            {
                Model = model,
                Query = query,
                Documents = batch,

                // With one batch the server cuts to top_n; across batches every score is needed to merge.
                TopN = documents.Count <= _options.BatchSize ? options?.TopN : null,
                MaxTokensPerDoc = _options.MaxTokensPerDoc,
            };
            var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            requests++;
            foreach (var result in response.Results ?? [])
            {
                if (result.Index < 0 || result.Index >= count)
                {
                    throw new ProviderException(CohereHttp.ProviderName, statusCode: null, errorCode: null, $"the rerank response names document {result.Index} of a batch of {count}.", isTransient: false);
                }

                results.Add(new RerankResult(offset + result.Index, result.RelevanceScore));
            }
        }

        results.Sort(static (a, b) => b.Score.CompareTo(a.Score) is var byScore && byScore != 0 ? byScore : a.Index.CompareTo(b.Index));
        if (options?.TopN is { } top && results.Count > top)
        {
            results.RemoveRange(top, results.Count - top);
        }

        CohereLog.Reranked(_logger, model, documents.Count, requests);
        return results;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<CohereRerankResponse> SendAsync(CohereRerankRequest request, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, CohereJsonContext.Default.CohereRerankRequest);
        try
        {
            using var response = await CohereHttp.PostAsync(_http, RerankPath, body, HttpCompletionOption.ResponseContentRead, _options.ApiKey, cancellationToken).ConfigureAwait(false);
            var bytes = await CohereHttp.ReadBodyAsync(response, _options.ApiKey, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(bytes, CohereJsonContext.Default.CohereRerankResponse)
                ?? throw new JsonException("The response is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new ProviderException(CohereHttp.ProviderName, statusCode: null, errorCode: null, "the rerank response could not be read: " + ex.Message, isTransient: false, innerException: ex);
        }
        catch (ProviderException ex)
        {
            CohereLog.RequestFailed(_logger, request.Model, (int?)ex.StatusCode, ex.Message);
            throw;
        }
    }
}
