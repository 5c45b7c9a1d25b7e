using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.InMemory.Tests;

/// <summary>
/// A deterministic test double: each word of the input adds one to the dimension its hash lands on. Counts its calls.
/// </summary>
public sealed class HashEmbeddingGenerator(int dimensions) : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _calls;

    public int Calls => _calls;

    public static float[] Embed(string text, int dimensions)
    {
        var vector = new float[dimensions];
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = 0;
            foreach (var c in word.ToLowerInvariant())
            {
                hash = unchecked((hash * 31) + c);
            }

            vector[(hash & int.MaxValue) % dimensions]++;
        }

        return vector;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v, dimensions)))));
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
