namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// The <see cref="float"/> vectors of one vector property. Each row's Euclidean norm is kept beside it (the
/// auxiliary number) so that cosine costs one dot product per row.
/// </summary>
internal sealed class FloatVectorColumn(string storageName, int dimensions) : ChunkedVectorColumn<float>(storageName, dimensions, dimensions)
{
    /// <summary>Copies the vector into the row; its norm was computed by the caller, outside the write lock.</summary>
    public override void Set(int slot, in PreparedVector vector)
    {
        if (vector.IsPresent)
        {
            SetRow(slot, vector.Floats.Span, vector.Aux);
        }
        else
        {
            Clear(slot);
        }
    }
}
