namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// The data of one collection: records live in slots; every property is a column indexed by slot; vectors
/// are kept in chunks of contiguous rows. Deleted slots are recycled. All members must be used under <see cref="Lock"/>.
/// </summary>
internal sealed class InMemoryCollectionData
{
    private const int InitialCapacity = 16;

    private readonly Dictionary<object, int> _slotByKey = [];
    private readonly Stack<int> _freeSlots = new();
    private object?[] _keys = [];
    private int _capacity;

    public InMemoryCollectionData(Type keyType, IReadOnlyList<DataColumnSpec> dataColumns, IReadOnlyList<VectorColumn> vectorColumns)
    {
        KeyType = keyType;
        DataColumns = dataColumns;
        Columns = new object?[dataColumns.Count][];
        for (var i = 0; i < Columns.Length; i++)
        {
            Columns[i] = [];
        }

        Vectors = [.. vectorColumns];
        Text = [.. dataColumns.Select(c => c.IsFullTextIndexed ? new TextColumn() : null)];
    }

    /// <summary>
    /// Guards all members. Never disposed: a deleted collection's data may still be in use by an operation that started
    /// before the delete, and the lock holds no resource the garbage collector cannot reclaim.
    /// </summary>
    public ReaderWriterLockSlim Lock { get; } = new(LockRecursionPolicy.NoRecursion);

    public Type KeyType { get; }

    public IReadOnlyList<DataColumnSpec> DataColumns { get; }

    /// <summary>Values of the data columns, <c>Columns[column][slot]</c>.</summary>
    public object?[][] Columns { get; }

    public VectorColumn[] Vectors { get; }

    public TextColumn?[] Text { get; }

    /// <summary>Slots below this index have been used at least once; a free slot has a null key.</summary>
    public int HighWater { get; private set; }

    public int Count => _slotByKey.Count;

    public object?[] Keys => _keys;

    public int Capacity => _capacity;

    public bool IsOccupied(int slot) => _keys[slot] is not null;

    public bool TryGetSlot(object key, out int slot) => _slotByKey.TryGetValue(key, out slot);

    /// <summary>Writes a batch. Room is made first, so once writing starts nothing can fail half-way.</summary>
    public void Write(PreparedBatch batch)
    {
        var newKeys = 0;
        for (var r = 0; r < batch.Count; r++)
        {
            if (!_slotByKey.ContainsKey(batch.Keys[r]))
            {
                newKeys++;
            }
        }

        EnsureCapacity(HighWater + Math.Max(0, newKeys - _freeSlots.Count));

        var columnCount = Columns.Length;
        var vectorCount = Vectors.Length;
        for (var r = 0; r < batch.Count; r++)
        {
            var key = batch.Keys[r];
            if (!_slotByKey.TryGetValue(key, out var slot))
            {
                slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : HighWater++;
                _slotByKey.Add(key, slot);
                _keys[slot] = key;
            }

            var values = r * columnCount;
            for (var c = 0; c < columnCount; c++)
            {
                var value = batch.Values[values + c];
                Columns[c][slot] = value;
                Text[c]?.Set(slot, value as string);
            }

            var vectors = r * vectorCount;
            for (var v = 0; v < vectorCount; v++)
            {
                Vectors[v].Set(slot, in batch.Vectors[vectors + v]);
            }
        }
    }

    public void Delete(object key)
    {
        if (!_slotByKey.Remove(key, out var slot))
        {
            return;
        }

        _keys[slot] = null;
        for (var c = 0; c < Columns.Length; c++)
        {
            Columns[c][slot] = null;
            Text[c]?.Clear(slot);
        }

        foreach (var vectors in Vectors)
        {
            vectors.Clear(slot);
        }

        _freeSlots.Push(slot);
    }

    private void EnsureCapacity(int required)
    {
        // Vector columns grow chunk by chunk, by what is required only; the other columns hold one reference per slot
        // and grow by doubling. Growing a column early is harmless, so a failure part-way leaves every column usable.
        foreach (var vectors in Vectors)
        {
            vectors.EnsureCapacity(required);
        }

        if (required <= _capacity)
        {
            return;
        }

        var capacity = Math.Max(InitialCapacity, _capacity);
        while (capacity < required)
        {
            capacity = capacity > int.MaxValue / 2 ? int.MaxValue : capacity * 2;
        }

        for (var c = 0; c < Columns.Length; c++)
        {
            Array.Resize(ref Columns[c], capacity);
            Text[c]?.Resize(capacity);
        }

        Array.Resize(ref _keys, capacity);
        _capacity = capacity;
    }
}
