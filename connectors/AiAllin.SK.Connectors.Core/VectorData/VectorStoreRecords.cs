using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace AiAllin.SK.Connectors.Core.VectorData;

/// <summary>Record handling shared by the pack's <c>Microsoft.Extensions.VectorData</c> stores.</summary>
public static class VectorStoreRecords
{
    /// <summary>
    /// Reads <paramref name="property"/> from <paramref name="record"/>, turning a value of the wrong type (a dynamic
    /// record's entry, say) into an <see cref="ArgumentException"/> that names the property and the record.
    /// </summary>
    /// <param name="property">The model property to read.</param>
    /// <param name="record">The record (a POCO or a <c>Dictionary&lt;string, object?&gt;</c>).</param>
    /// <param name="recordDescription">How the message names the record, e.g. <c>with key 'a'</c> or <c>at index 3</c>.</param>
    /// <returns>The property's value.</returns>
    public static object? ReadValue(PropertyModel property, object record, string recordDescription)
    {
        ArgumentNullException.ThrowIfNull(property);
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            return property.GetValueAsObject(record);
        }
        catch (InvalidCastException e)
        {
            throw new ArgumentException(
                $"Property '{property.ModelName}' of the record {recordDescription} does not hold a '{property.Type.Name}'.", e);
        }
    }

    /// <summary>
    /// Embeds the source values of <paramref name="property"/> (e.g. text) for a batch of records in one call to the
    /// property's generator. Records whose source value is null get a null embedding.
    /// </summary>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="property">A vector property whose embeddings are generated.</param>
    /// <param name="records">The batch, in order.</param>
    /// <param name="cancellationToken">Cancels the generation.</param>
    /// <returns>One embedding (or null) per record, in the batch's order.</returns>
    /// <exception cref="InvalidOperationException">The generator returned a different number of embeddings.</exception>
    public static async Task<Embedding?[]> GenerateEmbeddingsAsync<TRecord>(
        VectorPropertyModel property, IReadOnlyList<TRecord> records, CancellationToken cancellationToken)
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(property);
        ArgumentNullException.ThrowIfNull(records);

        var embeddings = new Embedding?[records.Count];
        var inputs = new List<object>(records.Count);
        var positions = new List<int>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            if (property.GetValueAsObject(records[i]) is { } input)
            {
                inputs.Add(input);
                positions.Add(i);
            }
        }

        if (inputs.Count == 0)
        {
            return embeddings;
        }

        var generated = await property.GenerateEmbeddingsAsync(inputs, cancellationToken).ConfigureAwait(false);
        if (generated.Count != inputs.Count)
        {
            throw new InvalidOperationException(
                $"The embedding generator of '{property.ModelName}' returned {generated.Count} embeddings for {inputs.Count} inputs.");
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            embeddings[positions[i]] = generated[i];
        }

        return embeddings;
    }
}
