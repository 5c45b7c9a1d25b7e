using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class LargeSearchTests
{
    private const int Rows = 70_000;

    // Enough rows for the scan to be split into parallel partitions; the answer must equal a brute-force ranking.
    [Theory]
    [InlineData(DistanceFunction.CosineSimilarity)]
    [InlineData(DistanceFunction.EuclideanDistance)]
    public async Task Search_OverManyRows_MatchesBruteForce(string distanceFunction)
    {
        var random = new Random(7);
        var vectors = Enumerable.Range(0, Rows).Select(_ => new[] { random.NextSingle() - 0.5f, random.NextSingle() - 0.5f, random.NextSingle() - 0.5f }).ToArray();
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(int)),
                new VectorStoreDataProperty("Bucket", typeof(int)),
                new VectorStoreVectorProperty("Vector", typeof(float[]), 3) { DistanceFunction = distanceFunction },
            ],
        };
        var collection = new InMemoryDynamicCollection("large", new() { Definition = definition });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(vectors.Select((v, i) => new Dictionary<string, object?> { ["Id"] = i, ["Bucket"] = i % 10, ["Vector"] = v }));
        float[] query = [0.3f, -0.2f, 0.1f];

        var found = await collection.SearchAsync(query, 15, new() { Skip = 5, Filter = r => (int)r["Bucket"]! == 4 })
            .Select(r => (int)r.Record["Id"]!)
            .ToListAsync();

        var expected = Enumerable.Range(0, Rows)
            .Where(i => i % 10 == 4)
            .Select(i => (Id: i, Score: Score(distanceFunction, query, vectors[i])))
            .OrderBy(r => distanceFunction == DistanceFunction.CosineSimilarity ? -r.Score : r.Score)
            .Skip(5)
            .Take(15)
            .Select(r => r.Id);
        Assert.Equal(expected, found);
    }

    private static double Score(string distanceFunction, float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0, squared = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
            squared += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return distanceFunction == DistanceFunction.CosineSimilarity ? dot / Math.Sqrt(na * nb) : Math.Sqrt(squared);
    }
}
