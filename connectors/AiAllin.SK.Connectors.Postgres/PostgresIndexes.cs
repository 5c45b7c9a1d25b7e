using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// pgvector's operators, operator classes and limits per distance function and index kind, and the SQL that turns
/// pgvector's distances into the scores MEVD defines.
/// </summary>
internal static class PostgresIndexes
{
    public const string DefaultDistanceFunction = DistanceFunction.CosineSimilarity;

    public const string DefaultIndexKind = IndexKind.Hnsw;

    /// <summary>pgvector's limits: HNSW and IVFFlat index up to 2,000 vector or 4,000 halfvec dimensions; a column holds up to 16,000.</summary>
    public const int MaxIndexedVectorDimensions = 2000;

    public const int MaxIndexedHalfVectorDimensions = 4000;

    public const int MaxStoredDimensions = 16000;

    /// <summary>pgvector's sparsevec limits: up to 1e9 dimensions, 16,000 non-zero elements stored and 1,000 in an HNSW index.</summary>
    public const int MaxSparseDimensions = 1_000_000_000;

    public const int MaxSparseNonZero = 16000;

    public const int MaxIndexedSparseNonZero = 1000;

    /// <summary>
    /// pgvector's recommended IVFFlat <c>lists</c> for <paramref name="rows"/> rows: rows / 1,000 up to a million rows,
    /// the square root of the rows above, and at least 1.
    /// </summary>
    public static int DefaultIvfFlatLists(long rows)
        => (int)Math.Max(1, rows <= 1_000_000 ? rows / 1000 : (long)Math.Sqrt(rows));

    /// <summary>
    /// Sets <c>ivfflat.probes</c> to $3 times pgvector's recommended square root of the index's <c>lists</c> (at most
    /// <c>lists</c>), read from the index ($1, its qualified name) as it was built, and <c>ivfflat.iterative_scan</c> to
    /// $2, both for the current transaction.
    /// </summary>
    public const string DefaultProbesSettingSql = """
        SELECT set_config('ivfflat.probes', coalesce((SELECT least(l.lists, ceil($3 * sqrt(l.lists)))::int::text FROM (
            SELECT substring(o from 7)::int AS lists FROM pg_catalog.pg_class c
            CROSS JOIN LATERAL unnest(c.reloptions) o WHERE c.oid = to_regclass($1) AND o LIKE 'lists=%') AS l), '1'), true),
            set_config('ivfflat.iterative_scan', $2, true)
        """;

    /// <summary>
    /// The factor of the default IVFFlat probes (times the square root of lists): 4 for a binary-quantized index, whose
    /// one bit per dimension ranks lists too coarsely for pgvector's default (recall@10 0.85 against 0.97 with 4x on
    /// 100k x 384 vectors, see the benchmarks), 1 otherwise.
    /// </summary>
    public static double DefaultProbesFactor(PostgresVectorQuantization quantization)
        => quantization == PostgresVectorQuantization.Binary ? 4 : 1;

    public static string DistanceFunctionOf(VectorPropertyModel property) => property.DistanceFunction ?? DefaultDistanceFunction;

    public static string IndexKindOf(VectorPropertyModel property) => property.IndexKind ?? DefaultIndexKind;

    /// <summary>pgvector indexes <c>bit</c> vectors of up to 64,000 dimensions; PostgreSQL stores <c>bit(n)</c> up to 83,886,080.</summary>
    public const int MaxIndexedBitDimensions = 64000;

    public const int MaxStoredBitDimensions = 83_886_080;

    public static bool IsBitDistanceFunction(string distanceFunction)
        => distanceFunction is DistanceFunction.HammingDistance or PostgresDistanceFunction.JaccardSimilarity or PostgresDistanceFunction.JaccardDistance;

    public static void Validate(VectorPropertyModel property)
    {
        var distanceFunction = DistanceFunctionOf(property);
        var indexKind = IndexKindOf(property);
        if (indexKind is not (IndexKind.Hnsw or IndexKind.IvfFlat or IndexKind.Flat))
        {
            throw new NotSupportedException(
                $"Vector property '{property.ModelName}' uses index kind '{indexKind}'; the PostgreSQL vector store supports Hnsw, IvfFlat and Flat.");
        }

        if (PostgresColumn.IsBitType(property.EmbeddingType ?? property.Type))
        {
            ValidateBits(property, distanceFunction, indexKind);
            return;
        }

        if (distanceFunction is not (DistanceFunction.CosineSimilarity or DistanceFunction.CosineDistance or DistanceFunction.DotProductSimilarity
            or DistanceFunction.NegativeDotProductSimilarity or DistanceFunction.EuclideanDistance or DistanceFunction.EuclideanSquaredDistance
            or DistanceFunction.ManhattanDistance))
        {
            throw new NotSupportedException(
                IsBitDistanceFunction(distanceFunction)
                    ? $"Vector property '{property.ModelName}' uses distance function '{distanceFunction}', which applies to bit vectors only; declare the property as a BitArray or BinaryEmbedding (bit), or choose a distance function of dense vectors."
                    : $"Vector property '{property.ModelName}' uses distance function '{distanceFunction}', which the PostgreSQL vector store does not support.");
        }

        if (PostgresColumn.IsSparseType(property.EmbeddingType ?? property.Type))
        {
            if (indexKind == IndexKind.IvfFlat)
            {
                throw new NotSupportedException(
                    $"Vector property '{property.ModelName}' is a SparseVector (sparsevec) with index kind IvfFlat; pgvector's IVFFlat does not index sparsevec. Use Hnsw or Flat.");
            }

            if (property.Dimensions > MaxSparseDimensions)
            {
                throw new NotSupportedException(
                    $"Vector property '{property.ModelName}' has {property.Dimensions} dimensions; pgvector's limit for a sparsevec is {MaxSparseDimensions:N0}.");
            }

            return;
        }

        var half = PostgresColumn.IsHalfType(property.EmbeddingType ?? property.Type);
        var limit = indexKind == IndexKind.Flat ? MaxStoredDimensions : half ? MaxIndexedHalfVectorDimensions : MaxIndexedVectorDimensions;
        if (property.Dimensions > limit)
        {
            throw new NotSupportedException(
                $"Vector property '{property.ModelName}' has {property.Dimensions} dimensions; pgvector's limit for a {(half ? "halfvec" : "vector")} " +
                $"with index kind {indexKind} is {limit}." + (indexKind == IndexKind.Flat || half ? string.Empty : " Use ReadOnlyMemory<Half> (halfvec) for up to 4,000 indexed dimensions."));
        }
    }

    /// <summary>
    /// Checks the opt-in quantized index of a collection against its vector columns: it needs at least one <c>vector</c>
    /// column and an index on each to quantize.
    /// </summary>
    public static void ValidateQuantization(PostgresVectorQuantization quantization, IReadOnlyList<PostgresColumn> vectors)
    {
        if (quantization == PostgresVectorQuantization.None)
        {
            return;
        }

        if (!Enum.IsDefined(quantization))
        {
            throw new ArgumentOutOfRangeException(nameof(quantization), quantization, "Unknown quantization.");
        }

        var quantized = vectors.Where(c => !c.IsBitVector && !c.IsSparseVector && !c.IsHalfVector).ToList();
        if (quantized.Count == 0)
        {
            throw new NotSupportedException(
                $"The collection asks for a {quantization} quantized index but has no single-precision (float) vector property to quantize; Half, sparse and bit vectors keep their own index.");
        }

        foreach (var column in quantized)
        {
            var property = (VectorPropertyModel)column.Property;
            if (IndexKindOf(property) == IndexKind.Flat)
            {
                throw new NotSupportedException(
                    $"Vector property '{property.ModelName}' has index kind Flat (no index), so there is nothing to quantize; choose Hnsw or IvfFlat, or Quantization None.");
            }
        }
    }

    private static void ValidateBits(VectorPropertyModel property, string distanceFunction, string indexKind)
    {
        if (!IsBitDistanceFunction(distanceFunction))
        {
            throw new NotSupportedException(
                $"Vector property '{property.ModelName}' is a bit vector with distance function '{distanceFunction}'; bit vectors support " +
                $"{DistanceFunction.HammingDistance}, {PostgresDistanceFunction.JaccardSimilarity} and {PostgresDistanceFunction.JaccardDistance}.");
        }

        if (indexKind == IndexKind.IvfFlat && distanceFunction != DistanceFunction.HammingDistance)
        {
            throw new NotSupportedException(
                $"Vector property '{property.ModelName}' is a bit vector with index kind IvfFlat and distance function '{distanceFunction}'; pgvector's IVFFlat " +
                $"indexes bits for {DistanceFunction.HammingDistance} only (bit_hamming_ops). Use Hnsw (bit_jaccard_ops) or Flat.");
        }

        var limit = indexKind == IndexKind.Flat ? MaxStoredBitDimensions : MaxIndexedBitDimensions;
        if (property.Dimensions > limit)
        {
            throw new NotSupportedException(
                $"Vector property '{property.ModelName}' has {property.Dimensions} dimensions; the limit for a bit vector with index kind {indexKind} is {limit:N0}.");
        }
    }

    /// <summary>
    /// The indexed expression and operator class of a vector column's index: the column itself, or with a quantized index
    /// its <c>halfvec</c> cast or <c>binary_quantize</c> bits. Searches order by the same expression
    /// (<see cref="QuantizedQuery"/>), which is what lets the planner use the expression index.
    /// </summary>
    public static (string Expression, string OperatorClass) IndexedExpression(PostgresColumn column)
    {
        var distanceFunction = DistanceFunctionOf((VectorPropertyModel)column.Property);
        var dimensions = column.Dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return column.Quantization switch
        {
            PostgresVectorQuantization.HalfPrecision => ($"({column.Quoted}::halfvec({dimensions}))", OperatorClass(distanceFunction, "halfvec")),
            PostgresVectorQuantization.Binary => ($"(binary_quantize({column.Quoted})::bit({dimensions}))", "bit_hamming_ops"),
            _ => (column.Quoted, OperatorClass(distanceFunction, column.VectorTypeName)),
        };
    }

    /// <summary>
    /// The ordering of a quantized index's candidates: its indexed expression (<see cref="IndexedExpression"/>), the
    /// operator, and the query vector <c>$1</c> brought to the same quantized type.
    /// </summary>
    public static string QuantizedQuery(PostgresColumn column)
    {
        var dimensions = column.Dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (expression, _) = IndexedExpression(column);
        return column.Quantization switch
        {
            PostgresVectorQuantization.HalfPrecision
                => $"({expression} {Operator(DistanceFunctionOf((VectorPropertyModel)column.Property))} $1::real[]::halfvec({dimensions}))",
            PostgresVectorQuantization.Binary => $"({expression} <~> binary_quantize($1::real[]::vector({dimensions})))",
            _ => throw new InvalidOperationException($"Column '{column.Name}' has no quantized index."),
        };
    }

    /// <summary>The default candidates per asked-for result taken from a quantized index before the exact re-rank.</summary>
    public static int DefaultOversampling(PostgresVectorQuantization quantization)
        => quantization == PostgresVectorQuantization.Binary ? 8 : 2;

    /// <summary>The pgvector distance operator whose ascending order is the ranking of the distance function.</summary>
    public static string Operator(string distanceFunction) => distanceFunction switch
    {
        DistanceFunction.CosineSimilarity or DistanceFunction.CosineDistance => "<=>",
        DistanceFunction.DotProductSimilarity or DistanceFunction.NegativeDotProductSimilarity => "<#>",
        DistanceFunction.EuclideanDistance or DistanceFunction.EuclideanSquaredDistance => "<->",
        DistanceFunction.ManhattanDistance => "<+>",
        DistanceFunction.HammingDistance => "<~>",
        PostgresDistanceFunction.JaccardSimilarity or PostgresDistanceFunction.JaccardDistance => "<%>",
        _ => throw new NotSupportedException($"Distance function '{distanceFunction}' is not supported."),
    };

    /// <summary>The operator class of the index over a <paramref name="vectorType"/> column, so that the index serves the ranking operator.</summary>
    public static string OperatorClass(string distanceFunction, string vectorType)
        => distanceFunction switch
        {
            DistanceFunction.CosineSimilarity or DistanceFunction.CosineDistance => vectorType + "_cosine_ops",
            DistanceFunction.DotProductSimilarity or DistanceFunction.NegativeDotProductSimilarity => vectorType + "_ip_ops",
            DistanceFunction.EuclideanDistance or DistanceFunction.EuclideanSquaredDistance => vectorType + "_l2_ops",
            DistanceFunction.ManhattanDistance => vectorType + "_l1_ops",
            DistanceFunction.HammingDistance => "bit_hamming_ops",
            PostgresDistanceFunction.JaccardSimilarity or PostgresDistanceFunction.JaccardDistance => "bit_jaccard_ops",
            _ => throw new NotSupportedException($"Distance function '{distanceFunction}' is not supported."),
        };

    /// <summary>The score MEVD defines, from pgvector's distance <paramref name="distance"/> (an SQL expression).</summary>
    public static string Score(string distanceFunction, string distance) => distanceFunction switch
    {
        DistanceFunction.CosineSimilarity or PostgresDistanceFunction.JaccardSimilarity => $"(1 - ({distance}))",
        DistanceFunction.DotProductSimilarity => $"(-({distance}))",
        DistanceFunction.EuclideanSquaredDistance => $"(({distance}) * ({distance}))",
        _ => distance,
    };

    public static bool HigherIsCloser(string distanceFunction)
        => distanceFunction is DistanceFunction.CosineSimilarity or DistanceFunction.DotProductSimilarity or PostgresDistanceFunction.JaccardSimilarity;
}
