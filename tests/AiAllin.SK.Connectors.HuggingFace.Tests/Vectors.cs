using System.Numerics.Tensors;

namespace AiAllin.SK.Connectors.HuggingFace.Tests;

internal static class Vectors
{
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.CosineSimilarity(a, b);

    public static float Norm(ReadOnlySpan<float> a) => TensorPrimitives.Norm(a);

    public static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        Assert.True(worst <= tolerance, $"Vectors differ by up to {worst}, more than {tolerance}.");
    }
}
