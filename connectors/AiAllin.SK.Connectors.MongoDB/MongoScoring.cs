using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// The distance functions of the store: the server-side expression of each for the exact-scan pipeline, and the
/// conversion of <c>$vectorSearch</c>'s normalised score back to the same scale, so a score means the same in both modes.
/// </summary>
internal static class MongoScoring
{
    public const string DefaultDistanceFunction = DistanceFunction.CosineSimilarity;

    public static string DistanceFunctionOf(VectorPropertyModel property) => property.DistanceFunction ?? DefaultDistanceFunction;

    public static void Validate(VectorPropertyModel property)
    {
        var distanceFunction = DistanceFunctionOf(property);
        if (distanceFunction is not (DistanceFunction.CosineSimilarity or DistanceFunction.CosineDistance or DistanceFunction.DotProductSimilarity
            or DistanceFunction.NegativeDotProductSimilarity or DistanceFunction.EuclideanDistance or DistanceFunction.EuclideanSquaredDistance))
        {
            throw new NotSupportedException(
                $"Vector property '{property.ModelName}' uses distance function '{distanceFunction}', which the MongoDB vector store does not support.");
        }

        if (property.IndexKind is { } indexKind && indexKind is not (IndexKind.Flat or IndexKind.Hnsw))
        {
            throw new NotSupportedException(
                $"Vector property '{property.ModelName}' asks for index kind '{indexKind}'; the MongoDB vector store serves Flat (exact scan) and Hnsw ($vectorSearch).");
        }
    }

    public static bool HigherIsCloser(string distanceFunction)
        => distanceFunction is DistanceFunction.CosineSimilarity or DistanceFunction.DotProductSimilarity;

    /// <summary>The similarity name of a <c>vectorSearch</c> index field for a distance function.</summary>
    public static string IndexSimilarity(string distanceFunction) => distanceFunction switch
    {
        DistanceFunction.CosineSimilarity or DistanceFunction.CosineDistance => "cosine",
        DistanceFunction.DotProductSimilarity or DistanceFunction.NegativeDotProductSimilarity => "dotProduct",
        _ => "euclidean",
    };

    /// <summary>
    /// The aggregation expression that scores the document's vector at <paramref name="field"/> against the query
    /// vector, computed by the server: the pairs come from <c>$zip</c>, sums from <c>$sum</c> over <c>$map</c>.
    /// A zero-length stored vector scores 0 for cosine rather than failing the query on a division by zero.
    /// </summary>
    public static BsonDocument ExactScore(string field, BsonArray query, string distanceFunction)
    {
        var queryNorm = Math.Sqrt(query.Sum(x => x.AsDouble * x.AsDouble));
        return distanceFunction switch
        {
            DistanceFunction.CosineSimilarity => Cosine(field, query, queryNorm),
            DistanceFunction.CosineDistance => new BsonDocument("$subtract", new BsonArray { 1, Cosine(field, query, queryNorm) }),
            DistanceFunction.DotProductSimilarity => Dot(field, query),
            DistanceFunction.NegativeDotProductSimilarity => new BsonDocument("$multiply", new BsonArray { -1, Dot(field, query) }),
            DistanceFunction.EuclideanDistance => new BsonDocument("$sqrt", SquaredDistance(field, query)),
            _ => SquaredDistance(field, query),
        };
    }

    /// <summary>
    /// Brings <c>{ $meta: "vectorSearchScore" }</c> back to the distance function's own scale. MongoDB normalises
    /// cosine and dot product as (1 + x) / 2 and Euclidean distance as 1 / (1 + d).
    /// </summary>
    public static BsonDocument VectorSearchScore(string distanceFunction)
    {
        var meta = new BsonDocument("$meta", "vectorSearchScore");
        var similarity = new BsonDocument("$subtract", new BsonArray { new BsonDocument("$multiply", new BsonArray { 2, meta }), 1 });
        var distance = new BsonDocument("$subtract", new BsonArray { new BsonDocument("$divide", new BsonArray { 1, meta }), 1 });
        return distanceFunction switch
        {
            DistanceFunction.CosineSimilarity or DistanceFunction.DotProductSimilarity => similarity,
            DistanceFunction.CosineDistance => new BsonDocument("$subtract", new BsonArray { 1, similarity }),
            DistanceFunction.NegativeDotProductSimilarity => new BsonDocument("$multiply", new BsonArray { -1, similarity }),
            DistanceFunction.EuclideanDistance => distance,
            _ => new BsonDocument("$pow", new BsonArray { distance, 2 }),
        };
    }

    private static BsonDocument Pairs(string field, BsonArray query)
        => new("$zip", new BsonDocument("inputs", new BsonArray { "$" + field, query }));

    private static BsonDocument SumOverPairs(string field, BsonArray query, BsonDocument perPair)
        => new("$sum", new BsonDocument("$map", new BsonDocument
        {
            { "input", Pairs(field, query) },
            { "as", "p" },
            { "in", perPair },
        }));

    private static BsonDocument First => new("$arrayElemAt", new BsonArray { "$$p", 0 });

    private static BsonDocument Second => new("$arrayElemAt", new BsonArray { "$$p", 1 });

    private static BsonDocument Dot(string field, BsonArray query)
        => SumOverPairs(field, query, new BsonDocument("$multiply", new BsonArray { First, Second }));

    private static BsonDocument SquaredDistance(string field, BsonArray query)
        => SumOverPairs(field, query, new BsonDocument("$pow", new BsonArray { new BsonDocument("$subtract", new BsonArray { First, Second }), 2 }));

    private static BsonDocument Cosine(string field, BsonArray query, double queryNorm)
    {
        var norm = new BsonDocument("$sqrt", new BsonDocument("$sum", new BsonDocument("$map", new BsonDocument
        {
            { "input", "$" + field },
            { "as", "x" },
            { "in", new BsonDocument("$multiply", new BsonArray { "$$x", "$$x" }) },
        })));
        var denominator = new BsonDocument("$multiply", new BsonArray { "$$norm", queryNorm });
        return new BsonDocument("$let", new BsonDocument
        {
            { "vars", new BsonDocument { { "dot", Dot(field, query) }, { "norm", norm } } },
            {
                "in", new BsonDocument("$cond", new BsonDocument
                {
                    { "if", new BsonDocument("$eq", new BsonArray { denominator, 0 }) },
                    { "then", 0.0 },
                    { "else", new BsonDocument("$divide", new BsonArray { "$$dot", denominator }) },
                })
            },
        });
    }
}
