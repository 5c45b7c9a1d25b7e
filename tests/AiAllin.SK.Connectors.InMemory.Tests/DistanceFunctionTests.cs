using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class DistanceFunctionTests
{
    // Query [1,2,2] (norm 3) against a=[2,1,2] (norm 3, dot 8), b=[0,0,1] (norm 1, dot 2), c=[-1,-2,-2] (norm 3, dot -9).
    [Theory]
    [InlineData(DistanceFunction.CosineSimilarity, 8.0 / 9, 2.0 / 3, -1.0)]
    [InlineData(DistanceFunction.CosineDistance, 1.0 / 9, 1.0 / 3, 2.0)]
    [InlineData(DistanceFunction.DotProductSimilarity, 8.0, 2.0, -9.0)]
    [InlineData(DistanceFunction.NegativeDotProductSimilarity, -8.0, -2.0, 9.0)]
    [InlineData(DistanceFunction.EuclideanDistance, 1.4142135, 2.4494897, 6.0)]
    [InlineData(DistanceFunction.EuclideanSquaredDistance, 2.0, 6.0, 36.0)]
    [InlineData(DistanceFunction.ManhattanDistance, 2.0, 4.0, 10.0)]
    public async Task Search_ReturnsHandComputedScoresBestFirst(string distanceFunction, double a, double b, double c)
    {
        var collection = await CreateAsync(distanceFunction);

        var results = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 2, 2]), 3).ToListAsync();

        Assert.Equal(["a", "b", "c"], results.Select(r => (string)r.Record["Id"]!));
        Assert.Equal(a, results[0].Score!.Value, 5);
        Assert.Equal(b, results[1].Score!.Value, 5);
        Assert.Equal(c, results[2].Score!.Value, 5);
    }

    [Fact]
    public async Task HammingDistance_CountsDifferingComponents()
    {
        var collection = await CreateAsync(DistanceFunction.HammingDistance);

        var results = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 2, 2]), 3).ToListAsync();

        Assert.Equal("a", results[0].Record["Id"]);
        Assert.Equal([2.0, 3.0, 3.0], results.Select(r => r.Score!.Value));
    }

    [Theory]
    [InlineData(DistanceFunction.CosineSimilarity, 0.6, new[] { "a", "b" })]
    [InlineData(DistanceFunction.DotProductSimilarity, 2.0, new[] { "a", "b" })]
    [InlineData(DistanceFunction.CosineDistance, 0.2, new[] { "a" })]
    [InlineData(DistanceFunction.NegativeDotProductSimilarity, -2.0, new[] { "a", "b" })]
    [InlineData(DistanceFunction.EuclideanDistance, 2.5, new[] { "a", "b" })]
    [InlineData(DistanceFunction.EuclideanSquaredDistance, 5.0, new[] { "a" })]
    public async Task ScoreThreshold_KeepsSimilaritiesAboveAndDistancesBelow(string distanceFunction, double threshold, string[] expected)
    {
        var collection = await CreateAsync(distanceFunction);

        var results = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 2, 2]), 3, new() { ScoreThreshold = threshold }).ToListAsync();

        Assert.Equal(expected, results.Select(r => (string)r.Record["Id"]!));
    }

    [Fact]
    public async Task Search_WithSkipAndIncludeVectors_PagesAndCopiesVectors()
    {
        var collection = await CreateAsync(DistanceFunction.CosineSimilarity);

        var results = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 2, 2]), 1, new() { Skip = 1, IncludeVectors = true }).ToListAsync();

        var result = Assert.Single(results);
        Assert.Equal("b", result.Record["Id"]);
        Assert.Equal([0f, 0f, 1f], ((ReadOnlyMemory<float>)result.Record["Vector"]!).ToArray());
    }

    [Fact]
    public void UnknownDistanceFunction_IsRejected()
    {
        var definition = Definition("NoSuchDistance");

        Assert.Throws<NotSupportedException>(() => new InMemoryVectorStore().GetDynamicCollection("c", definition));
    }

    private static async Task<InMemoryDynamicCollection> CreateAsync(string distanceFunction)
    {
        var collection = new InMemoryDynamicCollection("distances", new InMemoryCollectionOptions { Definition = Definition(distanceFunction) });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new() { ["Id"] = "c", ["Vector"] = new ReadOnlyMemory<float>([-1, -2, -2]) },
            new() { ["Id"] = "a", ["Vector"] = new ReadOnlyMemory<float>([2, 1, 2]) },
            new() { ["Id"] = "b", ["Vector"] = new ReadOnlyMemory<float>([0, 0, 1]) },
        ]);
        return collection;
    }

    private static VectorStoreCollectionDefinition Definition(string distanceFunction) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("Id", typeof(string)),
            new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 3) { DistanceFunction = distanceFunction },
        ],
    };
}
