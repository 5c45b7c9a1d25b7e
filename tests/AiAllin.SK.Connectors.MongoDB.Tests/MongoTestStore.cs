using System.Security.Cryptography;
using AiAllin.SK.Testing.Servers;
using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// The conformance binding of <see cref="MongoVectorStore"/> on the server <c>AIALLIN_MONGODB_URL</c> names: one client
/// and one fresh database for the test process (collection names are unique per test), dropped when the process ends.
/// Searches use the exact-scan pipeline, which any MongoDB 6+ server answers; <c>$vectorSearch</c> needs Atlas or mongot.
/// </summary>
internal sealed class MongoTestStore : IVectorStoreTestStore
{
    public static readonly MongoTestStore Instance = new();

    private static readonly Lazy<(MongoClient Client, string Database)> Shared = new(() =>
    {
        var client = new MongoClient(TestServers.Require(TestServers.MongoVariable));
        var database = $"aiallin_t_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";

        // xunit 2 has no assembly fixture; the database goes when the test process ends.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            client.DropDatabase(database);
            client.Dispose();
        };
        return (client, database);
    });

    /// <summary>Gets the connection string of the test server.</summary>
    public static string ConnectionString => TestServers.Require(TestServers.MongoVariable);

    /// <summary>Gets the test database.</summary>
    public static IMongoDatabase Database => Shared.Value.Client.GetDatabase(Shared.Value.Database);

    /// <summary>Gets the name of the test database.</summary>
    public static string DatabaseName => Shared.Value.Database;

    public bool SupportsHybridSearch => true;

    public bool SupportsCollectionsWithoutVectors => true;

    public IReadOnlySet<string> SupportedDistanceFunctions { get; } = new HashSet<string>
    {
        DistanceFunction.CosineSimilarity,
        DistanceFunction.CosineDistance,
        DistanceFunction.DotProductSimilarity,
        DistanceFunction.NegativeDotProductSimilarity,
        DistanceFunction.EuclideanDistance,
        DistanceFunction.EuclideanSquaredDistance,
    };

    public IReadOnlySet<Type> UnsupportedDataTypes { get; } = new HashSet<Type> { typeof(object), typeof(Dictionary<int, string>), typeof(Uri), typeof(ulong) };

    public IReadOnlySet<Type> UnsupportedKeyTypes { get; } = new HashSet<Type> { typeof(DateTime), typeof(ulong), typeof(byte[]) };

    // Beyond empty and blank: a dot (a namespace separator), '$' (reserved), MongoDB's system prefix, a space, NUL, too long.
    public IReadOnlyList<string> InvalidCollectionNames { get; } =
        [new string('a', 121), "a.b", "$cmd", "system.users", "with space", "nul\0char", "x\"; db.dropDatabase(); //"];

    public VectorStore CreateStore(IEmbeddingGenerator? embeddingGenerator = null)
        => new MongoVectorStore(Database, new MongoVectorStoreOptions { EmbeddingGenerator = embeddingGenerator, VectorSearchMode = MongoVectorSearchMode.ExactScan });
}
