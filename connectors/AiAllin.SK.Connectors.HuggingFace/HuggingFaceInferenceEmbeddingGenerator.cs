using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.HuggingFace.Wire;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over the Hugging Face Inference API's feature-extraction
/// task (<c>router.huggingface.co/hf-inference/models/{model}/pipeline/feature-extraction</c>) with a bearer
/// <c>HF_TOKEN</c>: texts sent in batches, pooled answers (<c>[[…]]</c>) taken as they are, token-level answers
/// (<c>[[[…]]]</c>, from models without a pooling layer) mean-pooled or refused as
/// <see cref="HuggingFaceInferenceOptions.PoolTokenEmbeddings"/> says, and a cold model's 503 turned into a
/// <see cref="ProviderException"/> whose <see cref="ProviderException.RetryAfter"/> is the server's <c>estimated_time</c>.
/// </summary>
/// <remarks>Thread-safe; register it as a singleton. <see cref="EmbeddingGenerationOptions.ModelId"/> picks another Hub model per call.</remarks>
public sealed class HuggingFaceInferenceEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name in exceptions and logs.</summary>
    public const string ProviderName = "HuggingFace";

    private static readonly Dictionary<string, string> WaitForModelHeaders = new(StringComparer.Ordinal) { ["x-wait-for-model"] = "true" };

    private readonly HuggingFaceInferenceOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private volatile int _batchSize;

    /// <summary>Creates a generator; the options are validated.</summary>
    /// <param name="options">The settings; <see cref="ProviderOptions.ApiKey"/> and <see cref="ProviderOptions.Model"/> are required.</param>
    /// <param name="loggerFactory">Logs calls and failures without secrets; none when <see langword="null"/>.</param>
    /// <param name="innerHandler">The transport under the retry and error handlers; a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>. Not disposed by this generator.</param>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    public HuggingFaceInferenceEmbeddingGenerator(HuggingFaceInferenceOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(HuggingFaceInferenceOptions.DefaultSectionName);
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<HuggingFaceInferenceEmbeddingGenerator>();
        _http = HuggingFaceHttp.Create(ProviderName, options, options.EffectiveEndpoint, loggerFactory, innerHandler, readModelLoadingDelay: true);
        _metadata = new EmbeddingGeneratorMetadata("huggingface", options.EffectiveEndpoint, options.Model);
        _batchSize = options.MaxBatchSize;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">An element of <paramref name="values"/> is <see langword="null"/>, or <see cref="EmbeddingGenerationOptions.Dimensions"/> is set (the task has no such parameter).</exception>
    /// <exception cref="ProviderException">The service failed or answered with an unexpected body.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = InputGuard.Materialize(values);
        if (options?.Dimensions is not null)
        {
            throw new ArgumentException("The feature-extraction task has no dimensions parameter; leave EmbeddingGenerationOptions.Dimensions unset.", nameof(options));
        }

        if (inputs.Length == 0)
        {
            return [];
        }

        var model = string.IsNullOrWhiteSpace(options?.ModelId) ? _options.Model! : options.ModelId;
        var plan = new EmbeddingBatches.Plan(ProviderName, PathFor(model), _options.WaitForModel ? WaitForModelHeaders : null, _options.PoolTokenEmbeddings, NormalizePooled: _options.Normalize != false);
        return await EmbeddingBatches.SendAsync(
            _http,
            plan,
            inputs,
            _batchSize,
            allowed => _batchSize = Math.Min(_batchSize, allowed),
            batch => new EmbedRequest
            {
                Inputs = batch,
                Truncate = _options.Truncate,
                TruncationDirection = HuggingFaceHttp.ToWire(_options.TruncationDirection),
                Normalize = _options.Normalize,
                PromptName = _options.PromptName,
                Options = _options.WaitForModel ? new InferenceApiOptions { WaitForModel = true } : null,
            },
            model,
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
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    // Hub ids are "owner/name": each part is escaped, the slash between them kept, as the router expects.
    private static string PathFor(string model) =>
        "models/" + string.Join('/', model.Trim().Split('/').Select(Uri.EscapeDataString)) + "/pipeline/feature-extraction";
}
