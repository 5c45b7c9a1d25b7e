using System.Collections;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// A deterministic generator of <see cref="BinaryEmbedding"/> for tests: one bit per word of a vocabulary, set when the
/// text holds the word (case-insensitive), so texts sharing words are near in Hamming and Jaccard distance. Records every
/// input it was asked to embed.
/// </summary>
/// <param name="vocabulary">The words, one bit each, in order.</param>
public sealed class BinaryTestEmbeddingGenerator(params string[] vocabulary) : IEmbeddingGenerator<string, BinaryEmbedding>
{
    private readonly ConcurrentQueue<string> _inputs = new();

    /// <summary>Gets every value this generator embedded, in call order.</summary>
    public IReadOnlyCollection<string> Inputs => _inputs;

    /// <summary>Gets the number of bits of each embedding.</summary>
    public int Dimensions => vocabulary.Length;

    /// <summary>The embedding of <paramref name="text"/>, as the generator makes it.</summary>
    public BitArray Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bits = new BitArray(vocabulary.Length);
        foreach (var word in text.Split([' ', ',', '.', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            var index = Array.FindIndex(vocabulary, v => string.Equals(v, word, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                bits[index] = true;
            }
        }

        return bits;
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<BinaryEmbedding>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var embeddings = new GeneratedEmbeddings<BinaryEmbedding>();
        foreach (var value in values)
        {
            _inputs.Enqueue(value);
            embeddings.Add(new BinaryEmbedding(Embed(value)));
        }

        return Task.FromResult(embeddings);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
