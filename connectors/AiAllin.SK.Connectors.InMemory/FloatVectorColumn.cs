using System.Numerics.Tensors;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// The <see cref="float"/> vectors of one vector property. Each row's Euclidean norm is kept beside it (the
/// auxiliary number) so that cosine costs one dot product per row.
/// </summary>
internal sealed class FloatVectorColumn(string storageName, int dimensions) : ChunkedVectorColumn<float>(storageName, dimensions, dimensions)
{
    /// <summary>
    /// Copies the vector into the row, then takes the norm of the copy: it is in the cache by then, whereas the
    /// caller's memory would be read from main memory twice.
    /// </summary>
    public override void Set(int slot, in PreparedVector vector)
    {
        if (vector.IsPresent)
        {
            SetRow(slot, vector.Floats.Span, 0);
            SetAux(slot, TensorPrimitives.Norm(Row(slot)));
        }
        else
        {
            Clear(slot);
        }
    }
}
