namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// The vectors of one vector property, stored row after row in a single array so that a search walks
/// contiguous memory. Each row's Euclidean norm is kept next to it so cosine costs one dot product per row.
/// </summary>
internal sealed class VectorColumn(string storageName, int dimensions)
{
    private float[] _data = [];
    private float[] _norms = [];
    private bool[] _present = [];

    public string StorageName { get; } = storageName;

    public int Dimensions { get; } = dimensions;

    public float[] Data => _data;

    public float[] Norms => _norms;

    public bool[] Present => _present;

    public void Resize(int capacity)
    {
        var length = checked(capacity * Dimensions);
        if (length > Array.MaxLength)
        {
            throw new InvalidOperationException(
                $"The vector property '{StorageName}' cannot hold {capacity} rows of {Dimensions} dimensions in one in-memory block.");
        }

        Array.Resize(ref _data, length);
        Array.Resize(ref _norms, capacity);
        Array.Resize(ref _present, capacity);
    }

    public ReadOnlySpan<float> Row(int slot) => new(_data, slot * Dimensions, Dimensions);

    /// <summary>Copies <paramref name="vector"/> into the row; its norm is computed by the caller, outside the write lock.</summary>
    public void Set(int slot, ReadOnlySpan<float> vector, float norm)
    {
        var row = new Span<float>(_data, slot * Dimensions, Dimensions);
        vector.CopyTo(row);
        _norms[slot] = norm;
        _present[slot] = true;
    }

    public void Clear(int slot) => _present[slot] = false;
}
