using System.Collections;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.InMemory.Tests;

/// <summary>A deterministic binary embedding generator: bit <c>i</c> is set when the text holds the letter 'a' + i. Counts its calls.</summary>
public sealed class LetterBitsGenerator : IEmbeddingGenerator<string, BinaryEmbedding>
{
    public const int Dimensions = 26;

    private int _calls;

    public int Calls => _calls;

    public static BitArray Embed(string text)
    {
        var bits = new BitArray(Dimensions);
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z')
            {
                bits[c - 'a'] = true;
            }
        }

        return bits;
    }

    public Task<GeneratedEmbeddings<BinaryEmbedding>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(new GeneratedEmbeddings<BinaryEmbedding>(values.Select(v => new BinaryEmbedding(Embed(v)))));
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
