namespace AiAllin.SK.Benchmarks;

/// <summary>The simple top-k selection both hand-written baselines share: a sorted array with insertion.</summary>
internal struct TopK
{
    private readonly int[] _ids;
    private readonly float[] _scores;
    private int _count;

    public TopK(int k)
    {
        _ids = new int[k];
        _scores = new float[k];
        _count = 0;
    }

    public readonly int Count => _count;

    public readonly ReadOnlySpan<int> Ids => _ids.AsSpan(0, _count);

    public readonly float Threshold => _count < _ids.Length ? float.NegativeInfinity : _scores[_count - 1];

    public void Add(int id, float score)
    {
        if (score <= Threshold)
        {
            return;
        }

        var position = _count < _ids.Length ? _count++ : _count - 1;
        while (position > 0 && _scores[position - 1] < score)
        {
            _scores[position] = _scores[position - 1];
            _ids[position] = _ids[position - 1];
            position--;
        }

        _scores[position] = score;
        _ids[position] = id;
    }
}
