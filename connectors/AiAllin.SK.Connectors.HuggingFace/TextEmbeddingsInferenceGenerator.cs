using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.HuggingFace.Wire;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over a Hugging Face text-embeddings-inference (TEI) server's
/// <c>POST /embed</c>: inputs sent in batches of at most the server's client batch size, vectors returned in input
/// order, <c>truncate</c>, <c>truncation_direction</c>, <c>normalize</c>, <c>prompt_name</c> and <c>dimensions</c>
/// passed on, token usage read from <c>x-compute-tokens</c>, and failures (413 batch too large, 422 input too long,
/// 424 inference failed, 429 overloaded, with <c>Retry-After</c>) raised as <see cref="ProviderException"/>s.
/// </summary>
/// <remarks>
/// Thread-safe; register it as a singleton. TEI serves one model, so <see cref="EmbeddingGenerationOptions.ModelId"/>
/// cannot pick another and is not sent.
/// </remarks>
public sealed class TextEmbeddingsInferenceGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name in exceptions and logs.</summary>
    public const string ProviderName = "TEI";

    private static readonly EmbeddingBatches.Plan Plan = new(ProviderName, "embed", Headers: null, PoolTokens: false, NormalizePooled: false);

    private readonly TextEmbeddingsInferenceOptions _options;
    private readonly HttpClient _http;
    private readonly ServerLimits _limits;
    private readonly ILogger _logger;

    /// <summary>Creates a generator; the options are validated.</summary>
    /// <param name="options">The settings; <see cref="ProviderOptions.Endpoint"/> is required.</param>
    /// <param name="loggerFactory">Logs calls and failures without secrets; none when <see langword="null"/>.</param>
    /// <param name="innerHandler">The transport under the retry and error handlers; a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>. Not disposed by this generator.</param>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    public TextEmbeddingsInferenceGenerator(TextEmbeddingsInferenceOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(TextEmbeddingsInferenceOptions.DefaultSectionName);
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<TextEmbeddingsInferenceGenerator>();
        _http = HuggingFaceHttp.Create(ProviderName, options, options.Endpoint!, loggerFactory, innerHandler, readModelLoadingDelay: false);
        _limits = new ServerLimits(_http, ProviderName, options);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">An element of <paramref name="values"/> is <see langword="null"/>, or the dimensions asked for are not positive.</exception>
    /// <exception cref="ProviderException">The server failed or answered with an unexpected body.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = InputGuard.Materialize(values);
        if (inputs.Length == 0)
        {
            return [];
        }

        var dimensions = options?.Dimensions ?? _options.Dimensions;
        if (dimensions is <= 0)
        {
            throw new ArgumentException($"Dimensions must be positive (was {dimensions}).", nameof(options));
        }

        var limits = await _limits.GetAsync(cancellationToken).ConfigureAwait(false);

        return await EmbeddingBatches.SendAsync(
            _http,
            Plan,
            inputs,
            limits.MaxBatchSize,
            _limits.Lower,
            batch => new EmbedRequest
            {
                Inputs = batch,
                Truncate = _options.Truncate,
                TruncationDirection = HuggingFaceHttp.ToWire(_options.TruncationDirection),
                Normalize = _options.Normalize,
                PromptName = _options.PromptName,
                Dimensions = dimensions,
            },
            limits.ModelId,
            _logger,
            cancellationToken).ConfigureAwait(false);
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
            return new EmbeddingGeneratorMetadata("text-embeddings-inference", _options.Endpoint, _options.Model, _options.Dimensions);
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _limits.Dispose();
        _http.Dispose();
    }
}
