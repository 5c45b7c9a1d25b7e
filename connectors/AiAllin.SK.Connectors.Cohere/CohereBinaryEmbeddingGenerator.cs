using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over Cohere's <c>/v2/embed</c> that returns one bit per dimension (Cohere's packed <c>ubinary</c>, most significant bit first), a 32nd of the float size, for a first-stage search re-scored with float vectors:
/// inputs sent in batches of at most <see cref="CohereEmbeddingOptions.BatchSize"/> (96 by default, the API's limit),
/// vectors in input order, the input type, vector size and truncation passed, billed tokens reported as usage,
/// failures as <see cref="ProviderException"/>s.
/// </summary>
/// <remarks>
/// A call sets its own input type with <c>EmbeddingGenerationOptions.AdditionalProperties["input_type"]</c>
/// (a <see cref="CohereEmbeddingInputType"/> or Cohere's word, for example <c>search_query</c>) and its truncation with
/// <c>["truncate"]</c>; <see cref="EmbeddingGenerationOptions.Dimensions"/> is Cohere's <c>output_dimension</c>.
/// </remarks>
public sealed class CohereBinaryEmbeddingGenerator : IEmbeddingGenerator<string, BinaryEmbedding>
{
    private readonly CohereEmbedder _embedder;

    /// <summary>Creates a generator; the options are validated.</summary>
    /// <param name="options">The settings; <see cref="ProviderOptions.ApiKey"/> and <see cref="ProviderOptions.Model"/> are required.</param>
    /// <param name="loggerFactory">Logs requests and failures without secrets; none when <see langword="null"/>.</param>
    /// <param name="innerHandler">The transport under the retry and error handlers; a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>. Not disposed by this generator.</param>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    public CohereBinaryEmbeddingGenerator(CohereEmbeddingOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? innerHandler = null)
    {
        _embedder = new CohereEmbedder(options, loggerFactory, innerHandler, typeof(CohereBinaryEmbeddingGenerator).FullName!);
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<BinaryEmbedding>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        _embedder.EmbedAsync(values, options, "ubinary", e => e.Ubinary, ToBits, cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => _embedder.GetService(this, serviceType, serviceKey);

    /// <inheritdoc />
    public void Dispose() => _embedder.Dispose();

    // Cohere packs eight dimensions per byte, the first in the highest bit (numpy's packbits order); BitArray's own
    // byte constructor reads the lowest bit first, so the bits are placed one by one.
    private static BinaryEmbedding ToBits(int[] packed)
    {
        var bits = new System.Collections.BitArray(packed.Length * 8);
        for (var i = 0; i < packed.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                bits[(i * 8) + bit] = (packed[i] & (0x80 >> bit)) != 0;
            }
        }

        return new BinaryEmbedding(bits);
    }
}
