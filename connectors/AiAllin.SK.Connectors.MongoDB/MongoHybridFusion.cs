using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// Reciprocal-rank fusion of a vector ranking and a keyword ranking, each given best first: each record scores the sum over the rankings it
/// is in of weight / (60 + rank), where records with equal scores share a rank (1, 1, 3...). Ties in the fused score
/// keep the vector ranking's order.
/// </summary>
internal static class MongoHybridFusion
{
    private const int K = 60;

    public static List<(BsonValue Id, double Score)> Fuse(
        IReadOnlyList<(BsonValue Id, double Score)> vectorRanking,
        IReadOnlyList<(BsonValue Id, double Score)> keywordRanking,
        double vectorWeight,
        double keywordWeight)
    {
        var fused = new Dictionary<BsonValue, double>();
        var order = new List<BsonValue>();
        Accumulate(vectorRanking, vectorWeight, fused, order);
        Accumulate(keywordRanking, keywordWeight, fused, order);
        return order
            .Select((id, position) => (Id: id, Score: fused[id], Position: position))
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Position)
            .Select(r => (r.Id, r.Score))
            .ToList();
    }

    /// <summary>Adds one ranking, given best first (as the pipelines sort it); equal neighbouring scores share a rank.</summary>
    private static void Accumulate(IReadOnlyList<(BsonValue Id, double Score)> ranking, double weight, Dictionary<BsonValue, double> fused, List<BsonValue> order)
    {
        var rank = 0;
        for (var i = 0; i < ranking.Count; i++)
        {
            if (i == 0 || ranking[i].Score != ranking[i - 1].Score)
            {
                rank = i + 1;
            }

            var id = ranking[i].Id;
            if (!fused.TryGetValue(id, out var score))
            {
                order.Add(id);
                score = 0;
            }

            fused[id] = score + (weight / (K + rank));
        }
    }
}
