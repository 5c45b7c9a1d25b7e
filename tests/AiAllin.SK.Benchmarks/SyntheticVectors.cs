namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Deterministic embedding-like data: points near a 16-dimensional random subspace of the 384-dimensional space plus
/// small isotropic noise, normalised. Real sentence embeddings are similarly concentrated in a low-rank subspace, so
/// scores spread like real ones instead of all sitting near zero as uniform random vectors would.
/// </summary>
internal sealed class SyntheticVectors
{
    private const int SubspaceRank = 16;
    private const float NoiseScale = 0.15f;

    private readonly Random _random;
    private readonly float[][] _basis;
    private readonly int _dimensions;

    public SyntheticVectors(int dimensions, int seed)
    {
        _dimensions = dimensions;
        _random = new Random(seed);
        _basis = new float[SubspaceRank][];
        for (var b = 0; b < SubspaceRank; b++)
        {
            _basis[b] = new float[dimensions];
            for (var d = 0; d < dimensions; d++)
            {
                _basis[b][d] = Gaussian() / MathF.Sqrt(dimensions);
            }
        }
    }

    public int NextCategory(int categories) => _random.Next(categories);

    public void Next(Span<float> destination)
    {
        for (var d = 0; d < _dimensions; d++)
        {
            destination[d] = NoiseScale * Gaussian() / MathF.Sqrt(_dimensions);
        }

        for (var b = 0; b < SubspaceRank; b++)
        {
            var weight = Gaussian();
            var row = _basis[b];
            for (var d = 0; d < _dimensions; d++)
            {
                destination[d] += weight * row[d];
            }
        }

        var norm = 0f;
        for (var d = 0; d < _dimensions; d++)
        {
            norm += destination[d] * destination[d];
        }

        norm = MathF.Sqrt(norm);
        for (var d = 0; d < _dimensions; d++)
        {
            destination[d] /= norm;
        }
    }

    public float[] Next()
    {
        var vector = new float[_dimensions];
        Next(vector);
        return vector;
    }

    private float Gaussian()
    {
        // Box-Muller; the generator is seeded, so the data is the same on every run.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
