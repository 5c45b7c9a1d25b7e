using System.Globalization;
using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Gemini.Wire;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over Gemini's <c>embedContent</c> (one input) and
/// <c>batchEmbedContents</c> (up to 100 inputs per request, the API's limit; larger batches are split and sent in
/// order), with <c>taskType</c> and <c>outputDimensionality</c>. Vectors come back in input order; failures are
/// <see cref="ProviderException"/>s.
/// </summary>
/// <remarks>
/// Per call, <see cref="EmbeddingGenerationOptions.Dimensions"/> and <see cref="EmbeddingGenerationOptions.ModelId"/>
/// override the options, and <c>AdditionalProperties["taskType"]</c> and <c>["title"]</c> (a document title, for
/// <c>RETRIEVAL_DOCUMENT</c>) are sent when set. The API reports no token usage for embeddings.
/// </remarks>
public sealed class GeminiEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The most inputs <c>batchEmbedContents</c> accepts in one request.</summary>
    public const int MaxBatchSize = 100;

    private readonly GeminiEmbeddingOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates a generator; the options are validated.</summary>
    /// <param name="options">The settings; <see cref="ProviderOptions.Model"/> and the key are required.</param>
    /// <param name="loggerFactory">Logs requests and failures without secrets; none when <see langword="null"/>.</param>
    /// <param name="innerHandler">The transport under the error, retry and credential handlers; a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>. Not disposed by this generator.</param>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    public GeminiEmbeddingGenerator(GeminiEmbeddingOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(GeminiOptions.DefaultSectionName);
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<GeminiEmbeddingGenerator>();
        _http = GeminiHttp.Create(options, loggerFactory, innerHandler);
        _metadata = new EmbeddingGeneratorMetadata("gcp.gemini", options.EffectiveEndpoint, options.Model, options.Dimensions);
    }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values.ToList();
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        if (inputs.Count == 0)
        {
            return result;
        }

        var model = GeminiOptions.BareModel(options?.ModelId ?? _options.Model ?? string.Empty);
        var dimensions = options?.Dimensions ?? _options.Dimensions;
        var taskType = Property(options, "taskType") ?? _options.TaskType;
        var title = Property(options, "title");
        var created = DateTimeOffset.UtcNow;
        var requests = 0;
        try
        {
            for (var offset = 0; offset < inputs.Count; offset += MaxBatchSize)
            {
                var batch = inputs.GetRange(offset, Math.Min(MaxBatchSize, inputs.Count - offset));
                var vectors = await EmbedAsync(model, batch, taskType, title, dimensions, cancellationToken).ConfigureAwait(false);
                requests++;
                foreach (var vector in vectors)
                {
                    result.Add(new Embedding<float>(vector) { ModelId = model, CreatedAt = created });
                }
            }
        }
        catch (ProviderException ex)
        {
            GeminiLog.RequestFailed(_logger, model, (int?)ex.StatusCode, ex.Message);
            throw;
        }

        GeminiLog.EmbeddingsGenerated(_logger, model, inputs.Count, requests);
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

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static string? Property(EmbeddingGenerationOptions? options, string key)
        => options?.AdditionalProperties is { } properties && properties.TryGetValue(key, out var value) && value is not null
            ? Convert.ToString(value, CultureInfo.InvariantCulture)
            : null;

    private static T Read<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) ?? throw new JsonException("The response is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new ProviderStreamException(GeminiHttp.ProviderName, Encoding.UTF8.GetString(body), 1, "response", ex);
        }
    }

    private async Task<List<float[]>> EmbedAsync(string model, List<string> batch, string? taskType, string? title, int? dimensions, CancellationToken cancellationToken)
    {
        GeminiEmbedRequest Request(string text) => new()
        {
            Model = "models/" + model,
            Content = new GeminiContent { Parts = [new GeminiPart { Text = text }] },
            TaskType = taskType,
            Title = title,
            OutputDimensionality = dimensions,
        };

        var single = batch.Count == 1;
        var body = single
            ? JsonSerializer.SerializeToUtf8Bytes(Request(batch[0]), GeminiJsonContext.Default.GeminiEmbedRequest)
            : JsonSerializer.SerializeToUtf8Bytes(new GeminiBatchEmbedRequest { Requests = [.. batch.Select(Request)] }, GeminiJsonContext.Default.GeminiBatchEmbedRequest);
        using var response = await GeminiHttp.PostAsync(_http, _options.MethodPath(model, single ? "embedContent" : "batchEmbedContents"), body, HttpCompletionOption.ResponseContentRead, _options.ApiKey, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);

        var vectors = single
            ? Read(bytes, GeminiJsonContext.Default.GeminiEmbedResponse).Embedding?.Values is { } one ? [one] : new List<float[]>()
            : [.. (Read(bytes, GeminiJsonContext.Default.GeminiBatchEmbedResponse).Embeddings ?? []).Select(e => e.Values ?? [])];
        if (vectors.Count != batch.Count)
        {
            throw new ProviderException(GeminiHttp.ProviderName, statusCode: null, errorCode: null, $"the embedding response has {vectors.Count} vectors for {batch.Count} inputs.", isTransient: false);
        }

        return vectors;
    }
}
