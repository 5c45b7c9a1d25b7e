using System.Security.Cryptography;
using System.Text;

namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// Embedding vectors the wire servers make up from the input text: the same text always gives the same unit-length
/// vector, different texts give different ones, so tests can check that each input got its own vector, in order.
/// </summary>
public static class DeterministicEmbedding
{
    /// <summary>Gets the vector for <paramref name="text"/> with <paramref name="dimensions"/> components.</summary>
    /// <param name="text">The input text.</param>
    /// <param name="dimensions">The vector length.</param>
    /// <returns>A unit-length vector.</returns>
    public static float[] For(string text, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        var vector = new float[dimensions];
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var random = new Random(BitConverter.ToInt32(seed, 0));
        double norm = 0;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
            norm += vector[i] * vector[i];
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] *= scale;
        }

        return vector;
    }
}
