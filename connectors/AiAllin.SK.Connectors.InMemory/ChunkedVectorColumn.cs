namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// Vector rows kept in fixed-size chunks of <see cref="ChunkRows"/> rows, each chunk one contiguous array, so that a
/// growing collection allocates one more chunk instead of copying everything it holds into a block twice the size.
/// Each row has one auxiliary number beside it (a norm, a bit count) and a presence flag. Only the first chunk grows
/// by doubling, so that a small collection stays small.
/// </summary>
/// <typeparam name="T">The element type of a row.</typeparam>
internal abstract class ChunkedVectorColumn<T>(string storageName, int dimensions, int rowWidth) : VectorColumn(storageName, dimensions)
    where T : unmanaged
{
    public const int ChunkShift = 10;
    public const int ChunkRows = 1 << ChunkShift;
    public const int ChunkMask = ChunkRows - 1;

    private const int FirstChunkMinRows = 16;

    private T[][] _data = [];
    private float[][] _aux = [];
    private bool[][] _present = [];

    /// <summary>The number of <typeparamref name="T"/> elements in one row.</summary>
    public int RowWidth { get; } = rowWidth;

    public int Capacity { get; private set; }

    /// <summary>The row data, chunk after chunk; row <c>r</c> of a chunk starts at <c>r * RowWidth</c>.</summary>
    public T[][] DataChunks => _data;

    /// <summary>The auxiliary number of each row, per chunk.</summary>
    public float[][] AuxChunks => _aux;

    public bool[][] PresentChunks => _present;

    public override void EnsureCapacity(int rows)
    {
        if (rows <= Capacity)
        {
            return;
        }

        var chunkCount = (int)(((long)rows + ChunkRows - 1) >> ChunkShift);
        var firstRows = chunkCount > 1 ? ChunkRows : Math.Min(ChunkRows, (int)Math.Max(FirstChunkMinRows, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)rows)));
        if ((long)ChunkRows * RowWidth > Array.MaxLength)
        {
            throw new InvalidOperationException(
                $"The vector property '{StorageName}' has rows of {Dimensions} dimensions, too wide for the in-memory store.");
        }

        // Everything is allocated into new arrays of chunks and published at the end, so that running out of memory
        // half-way leaves the column as it was.
        var data = new T[chunkCount][];
        var aux = new float[chunkCount][];
        var present = new bool[chunkCount][];
        Array.Copy(_data, data, _data.Length);
        Array.Copy(_aux, aux, _aux.Length);
        Array.Copy(_present, present, _present.Length);

        var firstCapacity = _data.Length > 0 ? _present[0].Length : 0;
        if (firstCapacity < firstRows)
        {
            // Rows are read only where present is set, and a row is written whole before that: no need to zero the data.
            data[0] = GC.AllocateUninitializedArray<T>(firstRows * RowWidth);
            aux[0] = new float[firstRows];
            present[0] = new bool[firstRows];
            if (firstCapacity > 0)
            {
                Array.Copy(_data[0], data[0], firstCapacity * RowWidth);
                Array.Copy(_aux[0], aux[0], firstCapacity);
                Array.Copy(_present[0], present[0], firstCapacity);
            }
        }

        for (var c = Math.Max(1, _data.Length); c < chunkCount; c++)
        {
            data[c] = GC.AllocateUninitializedArray<T>(ChunkRows * RowWidth);
            aux[c] = new float[ChunkRows];
            present[c] = new bool[ChunkRows];
        }

        _data = data;
        _aux = aux;
        _present = present;
        Capacity = chunkCount == 1 ? firstRows : chunkCount * ChunkRows;
    }

    public ReadOnlySpan<T> Row(int slot) => new(_data[slot >> ChunkShift], (slot & ChunkMask) * RowWidth, RowWidth);

    public float Aux(int slot) => _aux[slot >> ChunkShift][slot & ChunkMask];

    public override bool IsPresent(int slot) => _present[slot >> ChunkShift][slot & ChunkMask];

    public override void Clear(int slot) => _present[slot >> ChunkShift][slot & ChunkMask] = false;

    protected void SetAux(int slot, float aux) => _aux[slot >> ChunkShift][slot & ChunkMask] = aux;

    protected void SetRow(int slot, ReadOnlySpan<T> row, float aux)
    {
        var chunk = slot >> ChunkShift;
        var offset = slot & ChunkMask;
        row.CopyTo(new Span<T>(_data[chunk], offset * RowWidth, RowWidth));
        _aux[chunk][offset] = aux;
        _present[chunk][offset] = true;
    }
}
