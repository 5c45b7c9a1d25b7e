namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// A validated batch laid out in the storage's column order, ready to be written: one array per kind of value for the
/// whole batch rather than a few small arrays per record. Data values are detached copies.
/// </summary>
internal sealed class PreparedBatch(int count, int dataColumns, int vectorColumns)
{
    public int Count { get; } = count;

    public object[] Keys { get; } = new object[count];

    /// <summary>Data values, record after record: record <c>r</c>'s column <c>c</c> is at <c>r * dataColumns + c</c>.</summary>
    public object?[] Values { get; } = new object?[count * dataColumns];

    /// <summary>Vectors, record after record: record <c>r</c>'s vector column <c>v</c> is at <c>r * vectorColumns + v</c>.</summary>
    public PreparedVector[] Vectors { get; } = new PreparedVector[count * vectorColumns];
}
