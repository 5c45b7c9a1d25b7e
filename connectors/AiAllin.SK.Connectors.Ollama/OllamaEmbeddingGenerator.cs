using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OllamaSharp;
using OllamaSharp.Models;

namespace AiAllin.SK.Connectors.Ollama;

/// <summary>
/// An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over Ollama's <c>/api/embed</c> through OllamaSharp: one
/// request for a whole batch, vectors in input order, <c>dimensions</c>, <c>truncate</c> and <c>keep_alive</c>
/// passed, token usage reported, failures as <see cref="ProviderException"/>s.
/// </summary>
public sealed class OllamaEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly OllamaEmbeddingOptions _options;
    private readonly HttpClient _http;
    private readonly OllamaApiClient _api;
    private readonly ILogger _logger;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates a generator; the options are validated.</summary>
    /// <param name="options">The settings; <see cref="ProviderOptions.Model"/> is required.</param>
    /// <param name="loggerFactory">Logs requests and failures without secrets; none when <see langword="null"/>.</param>
    /// <param name="innerHandler">The transport under the retry and error handlers; a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>. Not disposed by this generator.</param>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    public OllamaEmbeddingGenerator(OllamaEmbeddingOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(OllamaOptions.DefaultSectionName);
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<OllamaEmbeddingGenerator>();
        _http = OllamaHttp.Create(options, loggerFactory, innerHandler);
        _api = new OllamaApiClient(_http, options.Model ?? string.Empty);
        _metadata = new EmbeddingGeneratorMetadata("ollama", options.EffectiveEndpoint, options.Model, options.Dimensions);
    }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values.ToList();
        if (inputs.Count == 0)
        {
            return [];
        }

        var model = options?.ModelId ?? _options.Model ?? string.Empty;
        var request = new EmbedRequest
        {
            Model = model,
            Input = inputs,
            Dimensions = options?.Dimensions ?? _options.Dimensions,
            Truncate = _options.Truncate,
            KeepAlive = _options.KeepAliveForWire,
        };

        EmbedResponse response;
        try
        {
            response = await OllamaModelPuller.SendAsync(_api, _options, model, _logger, () => _api.EmbedAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex)
        {
            OllamaLog.RequestFailed(_logger, model, (int?)ex.StatusCode, ex.Message);
            throw;
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ProviderException(OllamaHttp.ProviderName, statusCode: null, errorCode: null, "the embed response could not be read: " + ex.Message, isTransient: false, innerException: ex);
        }

        var vectors = response?.Embeddings ?? [];
        if (vectors.Count != inputs.Count)
        {
            throw new ProviderException(OllamaHttp.ProviderName, statusCode: null, errorCode: null, $"the embed response has {vectors.Count} vectors for {inputs.Count} inputs.", isTransient: false);
        }

        var created = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = model, CreatedAt = created }))
        {
            Usage = response!.PromptEvalCount is { } tokens ? new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens } : null,
        };
        OllamaLog.EmbeddingsGenerated(_logger, model, inputs.Count, result.Usage?.InputTokenCount);
        return result;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        if (serviceType.IsInstanceOfType(_api) && serviceType != typeof(object) && !serviceType.IsInstanceOfType(this))
        {
            return _api;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _api.Dispose();
        _http.Dispose();
    }
}
