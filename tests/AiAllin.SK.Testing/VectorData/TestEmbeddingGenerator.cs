using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// A deterministic embedding generator for tests: either every input maps to one fixed vector (which shows which
/// generator a store used), or each known word adds one to its own dimension (so text about a word lands near it).
/// Records every input it was asked to embed.
/// </summary>
public sealed class TestEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly Func<string, float[]> _embed;
    private readonly ConcurrentQueue<string> _inputs = new();

    private TestEmbeddingGenerator(Func<string, float[]> embed) => _embed = embed;

    /// <summary>Gets every value this generator embedded, in call order.</summary>
    public IReadOnlyCollection<string> Inputs => _inputs;

    /// <summary>A generator that maps any text to <paramref name="vector"/>.</summary>
    public static TestEmbeddingGenerator Constant(params float[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        return new(_ => (float[])vector.Clone());
    }

    /// <summary>
    /// A generator with one dimension per word of <paramref name="vocabulary"/>: each occurrence of a word (case-insensitive)
    /// adds one to its dimension; other words are ignored.
    /// </summary>
    public static TestEmbeddingGenerator Words(params string[] vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        return new(text =>
        {
            var vector = new float[vocabulary.Length];
            foreach (var word in text.Split([' ', ',', '.', ';'], StringSplitOptions.RemoveEmptyEntries))
            {
                var index = Array.FindIndex(vocabulary, v => string.Equals(v, word, StringComparison.OrdinalIgnoreCase));
                if (index >= 0)
                {
                    vector[index]++;
                }
            }

            return vector;
        });
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            _inputs.Enqueue(value);
            embeddings.Add(new Embedding<float>(_embed(value)));
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
