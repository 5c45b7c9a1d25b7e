namespace AiAllin.SK.Connectors.InMemory;

/// <summary>A validated, detached copy of one record, laid out in the storage's column order and ready to be written.</summary>
internal sealed class PreparedRecord(object key, object?[] values, float[]?[] vectors)
{
    public object Key { get; } = key;

    public object?[] Values { get; } = values;

    public float[]?[] Vectors { get; } = vectors;
}
