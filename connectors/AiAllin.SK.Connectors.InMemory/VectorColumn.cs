namespace AiAllin.SK.Connectors.InMemory;

/// <summary>The stored vectors of one vector property, one row per slot. Used only under the collection's lock.</summary>
internal abstract class VectorColumn(string storageName, int dimensions)
{
    public string StorageName { get; } = storageName;

    /// <summary>The declared number of dimensions (of bits, for a bit vector).</summary>
    public int Dimensions { get; } = dimensions;

    /// <summary>Makes room for slots below <paramref name="rows"/>; on failure the column is unchanged.</summary>
    public abstract void EnsureCapacity(int rows);

    public abstract bool IsPresent(int slot);

    /// <summary>Copies the prepared vector into the row, or marks the row absent when the record has none.</summary>
    public abstract void Set(int slot, in PreparedVector vector);

    public abstract void Clear(int slot);
}
