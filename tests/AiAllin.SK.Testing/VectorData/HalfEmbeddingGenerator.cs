using Microsoft.Extensions.AI;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// A generator of half-precision embeddings (<c>Embedding&lt;Half&gt;</c>), one dimension per word of a vocabulary, as
/// <see cref="TestEmbeddingGenerator.Words"/> does in single precision.
/// </summary>
public sealed class HalfEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<Half>>
{
    private readonly TestEmbeddingGenerator _words;

    /// <summary>Initializes a new generator over <paramref name="vocabulary"/>.</summary>
    public HalfEmbeddingGenerator(params string[] vocabulary) => _words = TestEmbeddingGenerator.Words(vocabulary);

    /// <summary>Gets every text embedded so far.</summary>
    public IReadOnlyCollection<string> Inputs => _words.Inputs;

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<Half>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var floats = await _words.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        return [.. floats.Select(e => new Embedding<Half>(Array.ConvertAll(e.Vector.ToArray(), f => (Half)f)))];
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose() => _words.Dispose();
}
