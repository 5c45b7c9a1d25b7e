using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Cohere.Wire;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// The <c>/v2/embed</c> calls the Cohere embedding generators share: inputs cut into batches of at most
/// <see cref="CohereEmbeddingOptions.BatchSize"/> texts, sent in order, vectors of one type read back in input order.
/// </summary>
internal sealed class CohereEmbedder : IDisposable
{
    /// <summary>The <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> key that sets the input type of one call.</summary>
    public const string InputTypeKey = "input_type";

    /// <summary>The <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> key that sets the truncation of one call.</summary>
    public const string TruncateKey = "truncate";

    private const string EmbedPath = "v2/embed";

    private readonly CohereEmbeddingOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _logger;

    public CohereEmbedder(CohereEmbeddingOptions options, ILoggerFactory? loggerFactory, HttpMessageHandler? innerHandler, string generatorName)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(CohereOptions.DefaultSectionName);
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger(generatorName);
        _http = CohereHttp.Create(options, loggerFactory, innerHandler);
        Metadata = new EmbeddingGeneratorMetadata("cohere", options.EffectiveEndpoint, options.Model, options.Dimensions);
    }

    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <summary>Embeds every input and returns the vectors of <paramref name="embeddingType"/>, in input order.</summary>
    public async Task<GeneratedEmbeddings<TEmbedding>> EmbedAsync<TVector, TEmbedding>(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options,
        string embeddingType,
        Func<CohereEmbeddingsByType, List<TVector>?> select,
        Func<TVector, TEmbedding> create,
        CancellationToken cancellationToken)
        where TEmbedding : Embedding
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values.ToList();
        if (inputs.Count == 0)
        {
            return [];
        }

        var model = options?.ModelId ?? _options.Model ?? string.Empty;
        var inputType = InputType(options);
        var truncate = Truncate(options);
        var dimensions = options?.Dimensions ?? _options.Dimensions;
        var result = new GeneratedEmbeddings<TEmbedding>(inputs.Count);
        long? tokens = null;
        var requests = 0;
        var created = DateTimeOffset.UtcNow;
        for (var offset = 0; offset < inputs.Count; offset += _options.BatchSize)
        {
            var batch = inputs.GetRange(offset, Math.Min(_options.BatchSize, inputs.Count - offset));
            var request = new CohereEmbedRequest
            {
                Model = model,
                Texts = batch,
                InputType = inputType,
                EmbeddingTypes = [embeddingType],
                Truncate = truncate,
                OutputDimension = dimensions,
            };
            var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            requests++;
            var vectors = response.Embeddings is { } byType ? select(byType) : null;
            if (vectors is null || vectors.Count != batch.Count)
            {
                throw new ProviderException(CohereHttp.ProviderName, statusCode: null, errorCode: null, $"the embed response has {vectors?.Count ?? 0} {embeddingType} vectors for {batch.Count} inputs.", isTransient: false);
            }

            foreach (var vector in vectors)
            {
                var embedding = create(vector);
                embedding.ModelId = model;
                embedding.CreatedAt = created;
                result.Add(embedding);
            }

            if (response.Meta?.BilledUnits?.InputTokens is { } billed)
            {
                tokens = (tokens ?? 0) + (long)billed;
            }
        }

        if (tokens is { } total)
        {
            result.Usage = new UsageDetails { InputTokenCount = total, TotalTokenCount = total };
        }

        CohereLog.EmbeddingsGenerated(_logger, model, inputs.Count, requests, tokens);
        return result;
    }

    /// <summary>Answers a generator's <c>GetService</c>: the metadata, or the generator itself.</summary>
    public object? GetService(object generator, Type serviceType, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
            : serviceType.IsInstanceOfType(generator) ? generator
            : null;
    }

    public void Dispose() => _http.Dispose();

    internal static string ToWire(CohereEmbeddingInputType inputType) => inputType switch
    {
        CohereEmbeddingInputType.SearchQuery => "search_query",
        CohereEmbeddingInputType.Classification => "classification",
        CohereEmbeddingInputType.Clustering => "clustering",
        _ => "search_document",
    };

    private string InputType(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(InputTypeKey, out var value) == true
            ? value switch
            {
                CohereEmbeddingInputType typed => ToWire(typed),
                string { Length: > 0 } text => text,
                _ => throw new ArgumentException($"EmbeddingGenerationOptions.AdditionalProperties[\"{InputTypeKey}\"] must be a CohereEmbeddingInputType or a string such as \"search_query\".", nameof(options)),
            }
            : ToWire(_options.InputType);

    private string? Truncate(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(TruncateKey, out var value) == true
            ? value switch
            {
                CohereTruncation typed => typed.ToString().ToUpperInvariant(),
                string { Length: > 0 } text => text.ToUpperInvariant(),
                _ => throw new ArgumentException($"EmbeddingGenerationOptions.AdditionalProperties[\"{TruncateKey}\"] must be a CohereTruncation or NONE, START or END.", nameof(options)),
            }
            : _options.Truncate?.ToString().ToUpperInvariant();

    private async Task<CohereEmbedResponse> SendAsync(CohereEmbedRequest request, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, CohereJsonContext.Default.CohereEmbedRequest);
        try
        {
            using var response = await CohereHttp.PostAsync(_http, EmbedPath, body, HttpCompletionOption.ResponseContentRead, _options.ApiKey, cancellationToken).ConfigureAwait(false);
            var bytes = await CohereHttp.ReadBodyAsync(response, _options.ApiKey, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(bytes, CohereJsonContext.Default.CohereEmbedResponse)
                ?? throw new JsonException("The response is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new ProviderException(CohereHttp.ProviderName, statusCode: null, errorCode: null, "the embed response could not be read: " + ex.Message, isTransient: false, innerException: ex);
        }
        catch (ProviderException ex)
        {
            CohereLog.RequestFailed(_logger, request.Model, (int?)ex.StatusCode, ex.Message);
            throw;
        }
    }
}
