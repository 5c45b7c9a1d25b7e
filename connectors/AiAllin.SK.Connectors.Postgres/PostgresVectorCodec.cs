using System.Collections;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// Brings vectors to pgvector's binary format: stored values of every supported vector type (checked for dimensions and
/// finite values) and search values, embedded through the property's generator when they are not vectors. The store
/// writes the format itself rather than through <c>Pgvector</c>'s Npgsql mappings, so it works on data sources built
/// without <c>UseVector()</c>; <see cref="SparseVector"/> is <c>Pgvector</c>'s own type.
/// </summary>
internal static class PostgresVectorCodec
{
    public static byte[] EncodeVector(PostgresColumn column, object value, object key)
    {
        if (column.IsBitVector)
        {
            var bits = value switch
            {
                BitArray array => array,
                BinaryEmbedding embedding => embedding.Vector,
                _ => throw new ArgumentException(
                    $"Vector property '{column.Property.ModelName}' of the record with key '{key}' holds a '{value.GetType().Name}'; the collection expects a BitArray or BinaryEmbedding."),
            };

            CheckBitLength(bits, column, $"Vector property '{column.Property.ModelName}' of the record with key '{key}'");
            return PostgresColumn.EncodeBits(bits);
        }

        if (column.IsSparseVector)
        {
            if (value is not SparseVector sparse)
            {
                throw new ArgumentException(
                    $"Vector property '{column.Property.ModelName}' of the record with key '{key}' holds a '{value.GetType().Name}'; the collection expects a Pgvector.SparseVector.");
            }

            var (indices, values) = ValidateSparse(sparse, column, $"Vector property '{column.Property.ModelName}' of the record with key '{key}'", stored: true);
            return PostgresColumn.EncodeSparseVector(sparse.Dimensions, indices, values);
        }

        ReadOnlySpan<float> floats = value switch
        {
            ReadOnlyMemory<float> memory => memory.Span,
            Embedding<float> embedding => embedding.Vector.Span,
            float[] array => array,
            ReadOnlyMemory<Half> memory => Array.ConvertAll(memory.ToArray(), h => (float)h),
            Embedding<Half> embedding => Array.ConvertAll(embedding.Vector.ToArray(), h => (float)h),
            Half[] array => Array.ConvertAll(array, h => (float)h),
            _ => throw new ArgumentException(
                $"Vector property '{column.Property.ModelName}' of the record with key '{key}' holds a '{value.GetType().Name}'; supported: {PostgresModelBuilder.SupportedVectorTypes}."),
        };

        if (floats.Length != column.Dimensions)
        {
            throw new ArgumentException(
                $"Vector property '{column.Property.ModelName}' of the record with key '{key}' has {floats.Length} dimensions; the collection expects {column.Dimensions}.");
        }

        foreach (var f in floats)
        {
            if (!float.IsFinite(f))
            {
                throw new ArgumentException($"Vector property '{column.Property.ModelName}' of the record with key '{key}' holds NaN or infinity, which pgvector rejects.");
            }
        }

        return PostgresColumn.EncodeVector(floats, column.IsHalfVector);
    }

    /// <summary>
    /// Checks a sparse vector against the column and pgvector's rules before anything is written: its dimensions, indices
    /// ascending and in range, finite values, and the count of non-zero elements (at most 1,000 in an HNSW index).
    /// Returns the non-zero elements, which is all pgvector accepts.
    /// </summary>
    public static (int[] Indices, float[] Values) ValidateSparse(SparseVector vector, PostgresColumn column, string subject, bool stored)
    {
        if (vector.Dimensions != column.Dimensions)
        {
            throw new ArgumentException($"{subject} has {vector.Dimensions} dimensions; the collection expects {column.Dimensions}.");
        }

        var indices = new List<int>(vector.Indices.Length);
        var values = new List<float>(vector.Values.Length);
        var indexSpan = vector.Indices.Span;
        var valueSpan = vector.Values.Span;
        for (var i = 0; i < indexSpan.Length; i++)
        {
            if (indexSpan[i] < 0 || indexSpan[i] >= vector.Dimensions || (i > 0 && indexSpan[i] <= indexSpan[i - 1]))
            {
                throw new ArgumentException($"{subject} has index {indexSpan[i]} out of order or out of range; indices must be ascending, unique and below {vector.Dimensions}.");
            }

            if (!float.IsFinite(valueSpan[i]))
            {
                throw new ArgumentException($"{subject} holds NaN or infinity, which pgvector rejects.");
            }

            if (valueSpan[i] != 0)
            {
                indices.Add(indexSpan[i]);
                values.Add(valueSpan[i]);
            }
        }

        var hnsw = PostgresIndexes.IndexKindOf((VectorPropertyModel)column.Property) == IndexKind.Hnsw;
        var limit = stored && hnsw ? PostgresIndexes.MaxIndexedSparseNonZero : PostgresIndexes.MaxSparseNonZero;
        if (indices.Count > limit)
        {
            throw new ArgumentException(
                $"{subject} has {indices.Count} non-zero elements; pgvector's limit for a sparsevec {(stored && hnsw ? "in an HNSW index" : "value")} is {limit:N0}.");
        }

        return ([.. indices], [.. values]);
    }

    /// <summary>The query vector as a parameter, and the cast that makes it the column's pgvector type.</summary>
    public static async ValueTask<(NpgsqlParameter Parameter, string Cast)> GetQueryVectorAsync<TInput>(
        TInput searchValue, PostgresColumn column, CancellationToken cancellationToken)
    {
        var property = (VectorPropertyModel)column.Property;
        if (column.IsSparseVector)
        {
            var sparse = searchValue switch
            {
                SparseVector vector => vector,
                ReadOnlyMemory<float> memory => new SparseVector(memory),
                float[] array => new SparseVector(array),
                _ => throw new NotSupportedException(
                    $"Vector property '{property.ModelName}' is a sparsevec; search it with a Pgvector.SparseVector (or a dense ReadOnlyMemory<float> / float[]), not a '{searchValue?.GetType().Name}'."),
            };

            var (indices, values) = ValidateSparse(sparse, column, "The search vector", stored: false);

            // The text form '{1:0.5,3:2}/5' has one-based indices; float formatting round-trips.
            var literal = string.Concat(
                "{",
                string.Join(",", indices.Select((index, i) => string.Concat((index + 1).ToString(CultureInfo.InvariantCulture), ":", values[i].ToString(CultureInfo.InvariantCulture)))),
                "}/",
                sparse.Dimensions.ToString(CultureInfo.InvariantCulture));
            return (new NpgsqlParameter { Value = literal, NpgsqlDbType = NpgsqlDbType.Text }, "::sparsevec");
        }

        if (column.IsBitVector)
        {
            var bits = await GetBitQueryVectorAsync(searchValue, property, cancellationToken).ConfigureAwait(false);
            CheckBitLength(bits, column, "The search vector");

            // Sent as varbit and cast to the column's bit(n); the length was checked, so the cast never pads or truncates.
            return (new NpgsqlParameter { Value = bits, NpgsqlDbType = NpgsqlDbType.Varbit }, $"::bit({column.Dimensions.ToString(CultureInfo.InvariantCulture)})");
        }

        var dense = await GetDenseQueryVectorAsync(searchValue, property, cancellationToken).ConfigureAwait(false);
        return (new NpgsqlParameter { Value = dense, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real }, "::real[]::" + column.VectorTypeName);
    }

    public static async ValueTask<float[]> GetDenseQueryVectorAsync<TInput>(TInput searchValue, VectorPropertyModel property, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<float> vector = searchValue switch
        {
            ReadOnlyMemory<float> memory => memory,
            float[] array => array,
            Embedding<float> embedding => embedding.Vector,
            ReadOnlyMemory<Half> memory => Array.ConvertAll(memory.ToArray(), h => (float)h),
            Half[] array => Array.ConvertAll(array, h => (float)h),
            Embedding<Half> embedding => Array.ConvertAll(embedding.Vector.ToArray(), h => (float)h),
            _ when property.EmbeddingGenerationDispatcher is not null
                => await property.GenerateEmbeddingAsync(searchValue!, cancellationToken).ConfigureAwait(false) switch
                {
                    Embedding<float> embedding => embedding.Vector,
                    Embedding<Half> embedding => Array.ConvertAll(embedding.Vector.ToArray(), h => (float)h),
                    var other => throw new InvalidOperationException($"The embedding generator returned an unsupported '{other.GetType().Name}'."),
                },
            _ when property.EmbeddingGenerator is null => throw new NotSupportedException(
                VectorDataStrings.InvalidSearchInputAndNoEmbeddingGeneratorWasConfigured(searchValue!.GetType(), PostgresModelBuilder.SupportedVectorTypes)),
            _ => throw new InvalidOperationException(
                VectorDataStrings.IncompatibleEmbeddingGeneratorWasConfiguredForInputType(typeof(TInput), property.EmbeddingGenerator.GetType())),
        };

        if (vector.Length != property.Dimensions)
        {
            throw new ArgumentException(
                $"The search vector has {vector.Length} dimensions; vector property '{property.ModelName}' has {property.Dimensions}.", nameof(searchValue));
        }

        return vector.ToArray();
    }

    private static async ValueTask<BitArray> GetBitQueryVectorAsync<TInput>(TInput searchValue, VectorPropertyModel property, CancellationToken cancellationToken)
        => searchValue switch
        {
            BitArray bits => bits,
            BinaryEmbedding embedding => embedding.Vector,
            _ when property.EmbeddingGenerationDispatcher is not null
                => await property.GenerateEmbeddingAsync(searchValue!, cancellationToken).ConfigureAwait(false) switch
                {
                    BinaryEmbedding embedding => embedding.Vector,
                    var other => throw new InvalidOperationException(
                        $"The embedding generator of bit vector property '{property.ModelName}' returned a '{other.GetType().Name}'; a bit vector needs a BinaryEmbedding generator."),
                },
            _ when property.EmbeddingGenerator is null => throw new NotSupportedException(
                VectorDataStrings.InvalidSearchInputAndNoEmbeddingGeneratorWasConfigured(searchValue!.GetType(), "BitArray, BinaryEmbedding")),
            _ => throw new InvalidOperationException(
                VectorDataStrings.IncompatibleEmbeddingGeneratorWasConfiguredForInputType(typeof(TInput), property.EmbeddingGenerator.GetType())),
        };

    private static void CheckBitLength(BitArray bits, PostgresColumn column, string subject)
    {
        if (bits.Length != column.Dimensions)
        {
            throw new ArgumentException($"{subject} has {bits.Length} bits; vector property '{column.Property.ModelName}' has {column.Dimensions} dimensions.");
        }
    }
}
