using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>Reciprocal-rank fusion of the vector and keyword rankings.</summary>
public sealed class HybridFusionTests
{
    [Fact]
    public void RecordsInBothRankings_OutrankThoseInOne()
    {
        var fused = MongoHybridFusion.Fuse(
            [("a", 0.9), ("b", 0.8), ("c", 0.7)],
            [("b", 5.0), ("c", 1.0)],
            1,
            1);

        Assert.Equal(["b", "c", "a"], fused.Select(f => f.Id.AsString));
        Assert.Equal((1.0 / 62) + (1.0 / 61), fused[0].Score, 12);
    }

    [Fact]
    public void EqualScores_ShareARank()
    {
        // A distance ranking arrives smallest first.
        var fused = MongoHybridFusion.Fuse([("c", 0.1), ("a", 0.5), ("b", 0.5)], [], 1, 1);

        Assert.Equal(["c", "a", "b"], fused.Select(f => f.Id.AsString));
        Assert.Equal(1.0 / 61, fused[0].Score, 12);
        Assert.Equal(1.0 / 62, fused[1].Score, 12);
        Assert.Equal(fused[1].Score, fused[2].Score);
    }

    [Fact]
    public void Weights_ScaleEachRanking()
    {
        var fused = MongoHybridFusion.Fuse([("a", 1), ("b", 0.5)], [("b", 1)], 1, 0);
        Assert.Equal(["a", "b"], fused.Select(f => f.Id.AsString));
        Assert.Equal(BsonValue.Create("a"), fused[0].Id);
    }
}
