namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// One validated record, laid out in the storage's column order and ready to be written. Values are detached; vectors
/// still point at the caller's memory (checked for length, with their norm computed) and are copied into the collection's
/// own contiguous storage by the write that follows in the same call, under the lock, so the store never keeps them.
/// </summary>
internal sealed class PreparedRecord(object key, object?[] values, ReadOnlyMemory<float>?[] vectors, float[] norms)
{
    public object Key { get; } = key;

    public object?[] Values { get; } = values;

    public ReadOnlyMemory<float>?[] Vectors { get; } = vectors;

    public float[] Norms { get; } = norms;
}
