using System.Collections;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// Vector values between the caller's types and the columns: checking and preparing what a record or a search holds
/// (float vectors, bits, or input to embed), and reading a stored row back as the property's type.
/// </summary>
internal static class VectorValues
{
    /// <summary>The query as the scorer takes it: a float[] for a float vector property, packed bits (ulong[]) for a bit vector one.</summary>
    public static async ValueTask<object> GetQueryVectorAsync<TInput>(TInput searchValue, VectorPropertyModel property, CancellationToken cancellationToken)
    {
        object value = searchValue switch
        {
            ReadOnlyMemory<float> or float[] or Embedding<float> or BitArray or BinaryEmbedding => searchValue,
            _ when property.EmbeddingGenerationDispatcher is not null
                => await property.GenerateEmbeddingAsync(searchValue!, cancellationToken).ConfigureAwait(false),
            _ when property.EmbeddingGenerator is null => throw new NotSupportedException(
                VectorDataStrings.InvalidSearchInputAndNoEmbeddingGeneratorWasConfigured(searchValue!.GetType(), InMemoryModelBuilder.SupportedVectorTypes)),
            _ => throw new InvalidOperationException(
                VectorDataStrings.IncompatibleEmbeddingGeneratorWasConfiguredForInputType(typeof(TInput), property.EmbeddingGenerator.GetType())),
        };

        if (InMemoryModelBuilder.IsBitVector(property))
        {
            var bits = value switch
            {
                BitArray array => array,
                BinaryEmbedding embedding => embedding.Vector,
                _ => throw new ArgumentException(
                    $"Vector property '{property.ModelName}' holds bit vectors; search it with a BitArray or a BinaryEmbedding, not a '{value.GetType().Name}'.",
                    nameof(searchValue)),
            };

            if (bits.Length != property.Dimensions)
            {
                throw new ArgumentException(
                    $"The search vector has {bits.Length} bits; bit vector property '{property.ModelName}' has {property.Dimensions}.", nameof(searchValue));
            }

            return BitVectorColumn.Pack(bits);
        }

        ReadOnlyMemory<float> vector = value switch
        {
            ReadOnlyMemory<float> memory => memory,
            float[] array => array,
            Embedding<float> embedding => embedding.Vector,
            _ => throw new ArgumentException(
                $"Vector property '{property.ModelName}' holds float vectors; search it with a ReadOnlyMemory<float>, float[] or Embedding<float>, not a '{value.GetType().Name}'.",
                nameof(searchValue)),
        };

        if (vector.Length != property.Dimensions)
        {
            throw new ArgumentException(
                $"The search vector has {vector.Length} dimensions; vector property '{property.ModelName}' has {property.Dimensions}.",
                nameof(searchValue));
        }

        return vector.ToArray();
    }

    /// <summary>Checks a vector value against its property and prepares it; a null value means the record has no vector.</summary>
    public static PreparedVector Prepare(object? value, VectorPropertyModel property, object key)
    {
        var isBits = InMemoryModelBuilder.IsBitVector(property);
        return value switch
        {
            null => default,
            ReadOnlyMemory<float> memory when !isBits => PrepareFloats(memory, property, key),
            Embedding<float> embedding when !isBits => PrepareFloats(embedding.Vector, property, key),
            float[] array when !isBits => PrepareFloats(array, property, key),
            BitArray bits when isBits => PrepareBits(bits, property, key),
            BinaryEmbedding embedding when isBits => PrepareBits(embedding.Vector, property, key),
            _ => throw new ArgumentException(
                $"Vector property '{property.ModelName}' of the record with key '{key}' holds a '{value.GetType().Name}'; supported: " +
                (isBits ? "BitArray, BinaryEmbedding" : "ReadOnlyMemory<float>, Embedding<float>, float[]") + "."),
        };
    }

    public static PreparedVector PrepareFloats(ReadOnlyMemory<float> vector, VectorPropertyModel property, object key)
    {
        if (vector.Length != property.Dimensions)
        {
            throw new ArgumentException(
                $"Vector property '{property.ModelName}' of the record with key '{key}' has {vector.Length} dimensions; the collection expects {property.Dimensions}.");
        }

        return new PreparedVector(vector, null, 0, IsPresent: true);
    }

    private static PreparedVector PrepareBits(BitArray bits, VectorPropertyModel property, object key)
    {
        if (bits.Length != property.Dimensions)
        {
            throw new ArgumentException(
                $"Bit vector property '{property.ModelName}' of the record with key '{key}' has {bits.Length} bits; the collection expects {property.Dimensions}.");
        }

        var words = BitVectorColumn.Pack(bits);
        return new PreparedVector(default, words, BitVectorColumn.PopCount(words), IsPresent: true);
    }

    /// <summary>A new copy of the stored vector, as <paramref name="type"/>.</summary>
    public static object Read(VectorColumn column, int slot, Type type)
    {
        if (column is BitVectorColumn bits)
        {
            var array = BitVectorColumn.Unpack(bits.Row(slot), bits.Dimensions);
            return type == typeof(BinaryEmbedding) ? new BinaryEmbedding(array) : array;
        }

        var vector = ((FloatVectorColumn)column).Row(slot).ToArray();
        return type == typeof(float[]) ? vector
            : type == typeof(Embedding<float>) ? new Embedding<float>(vector)
            : new ReadOnlyMemory<float>(vector);
    }
}
