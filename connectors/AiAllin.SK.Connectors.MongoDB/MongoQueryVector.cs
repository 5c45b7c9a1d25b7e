using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData.ProviderServices;
using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// The query vector of a search: a vector given as it is, or the embedding of the search value by the property's
/// generator, checked against the property's dimensions, as BSON doubles.
/// </summary>
internal static class MongoQueryVector
{
    public static async Task<BsonArray> GetAsync<TInput>(TInput searchValue, VectorPropertyModel property, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<float> vector = searchValue switch
        {
            ReadOnlyMemory<float> memory => memory,
            float[] array => array,
            Embedding<float> embedding => embedding.Vector,
            _ when property.EmbeddingGenerationDispatcher is not null
                => await property.GenerateEmbeddingAsync(searchValue!, cancellationToken).ConfigureAwait(false) switch
                {
                    Embedding<float> embedding => embedding.Vector,
                    var other => throw new InvalidOperationException($"The embedding generator returned an unsupported '{other.GetType().Name}'."),
                },
            _ when property.EmbeddingGenerator is null => throw new NotSupportedException(
                VectorDataStrings.InvalidSearchInputAndNoEmbeddingGeneratorWasConfigured(searchValue!.GetType(), MongoValues.SupportedVectorTypes)),
            _ => throw new InvalidOperationException(
                VectorDataStrings.IncompatibleEmbeddingGeneratorWasConfiguredForInputType(typeof(TInput), property.EmbeddingGenerator.GetType())),
        };

        if (vector.Length != property.Dimensions)
        {
            throw new ArgumentException(
                $"The search vector has {vector.Length} dimensions; vector property '{property.ModelName}' has {property.Dimensions}.", nameof(searchValue));
        }

        return MongoValues.DoubleArray(vector.Span);
    }
}
