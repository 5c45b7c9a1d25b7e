using AiAllin.SK.Testing.Servers;
using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres.Tests;

/// <summary>
/// The conformance binding of <see cref="PostgresVectorStore"/>: every store shares one data source and one schema of the
/// test server (collection names are unique per test), so the suites run in parallel.
/// </summary>
internal sealed class PostgresTestStore : IVectorStoreTestStore
{
    public static readonly PostgresTestStore Instance = new();

    private static readonly Lazy<(NpgsqlDataSource DataSource, string Schema, string ConnectionString)> Shared = new(() =>
    {
        var server = PostgresServer.CreateAsync("mevd").GetAwaiter().GetResult();

        // xunit 2 has no assembly fixture; the schema (and every table left in it) goes when the test process ends.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return (PostgresVectorStore.CreateDataSource(server.ConnectionString), server.Schema, server.ConnectionString);
    });

    /// <summary>Gets the shared test schema.</summary>
    public static string Schema => Shared.Value.Schema;

    /// <summary>Gets the connection string of the test server.</summary>
    public static string ConnectionString => Shared.Value.ConnectionString;

    public bool SupportsHybridSearch => true;

    public bool SupportsCollectionsWithoutVectors => true;

    public bool SupportsHalfVectors => true;

    // IVFFlat is left unbuilt on an empty table (searches scan exactly) and built over data; see IndexLifecycleTests.
    public IReadOnlySet<string> SupportedIndexKinds { get; } = new HashSet<string> { IndexKind.Flat, IndexKind.Hnsw, IndexKind.IvfFlat };

    public IReadOnlySet<string> SupportedDistanceFunctions { get; } = new HashSet<string>
    {
        DistanceFunction.CosineSimilarity,
        DistanceFunction.CosineDistance,
        DistanceFunction.DotProductSimilarity,
        DistanceFunction.NegativeDotProductSimilarity,
        DistanceFunction.EuclideanDistance,
        DistanceFunction.EuclideanSquaredDistance,
        DistanceFunction.HammingDistance,
        PostgresDistanceFunction.JaccardSimilarity,
        PostgresDistanceFunction.JaccardDistance,
    };

    // String-keyed dictionaries and application classes go to jsonb; untyped objects, other-keyed maps and types without a
    // PostgreSQL column type are refused rather than stored as something else.
    public IReadOnlySet<Type> UnsupportedDataTypes { get; } = new HashSet<Type> { typeof(object), typeof(Dictionary<int, string>), typeof(Uri), typeof(ulong) };

    public IReadOnlySet<Type> UnsupportedKeyTypes { get; } = new HashSet<Type> { typeof(DateTime), typeof(ulong), typeof(byte[]) };

    // Beyond empty and blank: longer than PostgreSQL's 63-byte identifiers, quotes, semicolons, spaces, a leading digit.
    public IReadOnlyList<string> InvalidCollectionNames { get; } =
        [new string('a', 64), "x\"; DROP TABLE y; --", "a;b", "with space", "1starts_with_digit", "tab\tname"];

    public VectorStore CreateStore(IEmbeddingGenerator? embeddingGenerator = null)
        => new PostgresVectorStore(Shared.Value.DataSource, new PostgresVectorStoreOptions { Schema = Shared.Value.Schema, EmbeddingGenerator = embeddingGenerator });
}
