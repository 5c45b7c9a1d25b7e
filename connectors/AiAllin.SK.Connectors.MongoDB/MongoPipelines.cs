using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// Builds the aggregation pipelines the collections send, as plain BSON, so tests can compare them with the shapes in
/// the MongoDB manual. Values (vectors, keywords, filter constants) are always BSON values, never pipeline text.
/// </summary>
internal static class MongoPipelines
{
    /// <summary>
    /// Hides records already past their expiry: <c>{ field: { $not: { $lte: now } } }</c> matches a later date, null and
    /// a missing field (a record that never expires), since BSON range operators never match across types.
    /// </summary>
    public static BsonDocument NotExpired(string field, DateTime utcNow)
        => new(field, new BsonDocument("$not", new BsonDocument("$lte", new BsonDateTime(utcNow))));

    /// <summary>
    /// The pre-filter form of <see cref="NotExpired"/> for <c>$vectorSearch</c>, which takes <c>$gt</c> on an indexed
    /// filter field: <c>{ field: { $gt: now } }</c>. It relies on every record of an expiring collection holding a date
    /// (<see cref="MongoNames.NeverExpires"/> when it never expires); a document written without one is not found.
    /// </summary>
    public static BsonDocument ExpiresAfter(string field, DateTime utcNow)
        => new(field, new BsonDocument("$gt", new BsonDateTime(utcNow)));

    /// <summary>Combines conditions with <c>$and</c>, leaving out empty ones; an empty document matches everything.</summary>
    public static BsonDocument And(params BsonDocument?[] conditions)
    {
        // Nested $and lists are flattened: { $and: [a, { $and: [b, c] }] } is { $and: [a, b, c] }.
        var parts = conditions
            .Where(c => c is { ElementCount: > 0 })
            .SelectMany(c => c is { ElementCount: 1 } && c.GetElement(0).Name == "$and" ? c[0].AsBsonArray.Select(x => x.AsBsonDocument) : [c!])
            .ToList();
        return parts.Count switch
        {
            0 => [],
            1 => parts[0]!,
            _ => new BsonDocument("$and", new BsonArray(parts)),
        };
    }

    /// <summary>
    /// Counts the documents that pass <paramref name="filter"/> by the value of <paramref name="field"/>, most frequent first
    /// (ties by value): <c>$match</c>, then <c>$group</c> with <c>{ _id: "$field", count: { $sum: 1 } }</c> and <c>$sort</c>.
    /// </summary>
    public static List<BsonDocument> CountBy(BsonDocument filter, string field) => [new("$match", filter), .. GroupStages(field)];

    /// <summary>
    /// Counts by several fields over one filter in one pass: <c>$match</c>, then <c>$facet</c> with one grouped count per
    /// field (the facet named by the field's index, since field names may not be valid facet names).
    /// </summary>
    public static List<BsonDocument> Facets(BsonDocument filter, IReadOnlyList<string> fields)
    {
        var facets = new BsonDocument();
        for (var i = 0; i < fields.Count; i++)
        {
            facets["f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new BsonArray(GroupStages(fields[i]));
        }

        return [new("$match", filter), new("$facet", facets)];
    }

    private static BsonDocument[] GroupStages(string field) =>
    [
        new("$group", new BsonDocument { { "_id", "$" + field }, { "count", new BsonDocument("$sum", 1) } }),
        new("$sort", new BsonDocument { { "count", -1 }, { "_id", 1 } }),
    ];

    /// <summary>Excludes the vector fields unless they are asked for.</summary>
    public static BsonDocument? Projection(IReadOnlyList<string> vectorFields, bool includeVectors, bool dropScore)
    {
        var projection = new BsonDocument();
        if (!includeVectors)
        {
            foreach (var field in vectorFields)
            {
                projection[field] = 0;
            }
        }

        if (dropScore)
        {
            projection[MongoNames.ScoreField] = 0;
        }

        return projection.ElementCount == 0 ? null : projection;
    }

    /// <summary>
    /// The exact-scan search: documents that pass the filter and have a vector are scored by the server, the threshold
    /// applies to that score, and the page is taken after sorting (ties by key, so pages are stable).
    /// </summary>
    public static List<BsonDocument> ExactSearch(
        string vectorField, BsonArray query, string distanceFunction, BsonDocument filter, double? scoreThreshold, int top, int skip, BsonDocument? projection)
    {
        var higherIsCloser = MongoScoring.HigherIsCloser(distanceFunction);
        var pipeline = new List<BsonDocument>
        {
            new("$match", And(new BsonDocument(vectorField, new BsonDocument("$type", "array")), filter)),
            new("$addFields", new BsonDocument(MongoNames.ScoreField, MongoScoring.ExactScore(vectorField, query, distanceFunction))),
        };
        AddThreshold(pipeline, scoreThreshold, higherIsCloser);
        pipeline.Add(new BsonDocument("$sort", new BsonDocument { { MongoNames.ScoreField, higherIsCloser ? -1 : 1 }, { "_id", 1 } }));
        AddPage(pipeline, top, skip, projection);
        return pipeline;
    }

    /// <summary>
    /// The approximate search on a vector search index: <c>$vectorSearch</c> first (pre-filtered, expiry included, with
    /// <c>numCandidates</c>), its score brought to the distance function's scale, then what the stage cannot do itself:
    /// the threshold and the skip.
    /// </summary>
    public static List<BsonDocument> VectorSearch(
        string indexName,
        string vectorField,
        BsonArray query,
        string distanceFunction,
        BsonDocument preFilter,
        double? scoreThreshold,
        int numCandidatesFactor,
        int top,
        int skip,
        BsonDocument? projection)
    {
        var limit = top + skip;
        var stage = new BsonDocument
        {
            { "index", indexName },
            { "path", vectorField },
            { "queryVector", query },
            { "numCandidates", NumCandidates(limit, numCandidatesFactor) },
            { "limit", limit },
        };
        if (preFilter.ElementCount > 0)
        {
            MongoFilterTranslator.EnsurePreFilterable(preFilter);
            stage["filter"] = preFilter;
        }

        var pipeline = new List<BsonDocument>
        {
            new("$vectorSearch", stage),
            new("$addFields", new BsonDocument(MongoNames.ScoreField, MongoScoring.VectorSearchScore(distanceFunction))),
        };
        AddThreshold(pipeline, scoreThreshold, MongoScoring.HigherIsCloser(distanceFunction));
        AddPage(pipeline, top, skip, projection);
        return pipeline;
    }

    /// <summary><c>numCandidates</c>: the factor times the results wanted, at least the limit, at most MongoDB's 10,000.</summary>
    public static int NumCandidates(int limit, int factor)
        => (int)Math.Clamp((long)limit * factor, limit, Math.Max(limit, 10_000));

    /// <summary>The keyword ranking through a text index: <c>$text</c> in the first <c>$match</c>, scored by <c>textScore</c>.</summary>
    public static List<BsonDocument> TextSearch(IReadOnlyCollection<string> keywords, BsonDocument filter, int candidates, BsonDocument? projection)
    {
        var text = new BsonDocument("$text", new BsonDocument("$search", TextSearchString(keywords)));
        return
        [
            new("$match", And(text, filter)),
            new("$addFields", new BsonDocument(MongoNames.ScoreField, new BsonDocument("$meta", "textScore"))),
            new("$sort", new BsonDocument { { MongoNames.ScoreField, -1 }, { "_id", 1 } }),
            new("$limit", candidates),
            .. projection is null ? [] : new[] { new BsonDocument("$project", projection) },
        ];
    }

    /// <summary>The keyword ranking through a MongoDB Search index: <c>$search</c> with the <c>text</c> operator, then the filter.</summary>
    public static List<BsonDocument> SearchIndexSearch(
        string indexName, string textField, IReadOnlyCollection<string> keywords, BsonDocument filter, int candidates, BsonDocument? projection)
    {
        var search = new BsonDocument
        {
            { "index", indexName },
            { "text", new BsonDocument { { "query", new BsonArray(keywords) }, { "path", textField } } },
        };
        var pipeline = new List<BsonDocument>
        {
            new("$search", search),
            new("$addFields", new BsonDocument(MongoNames.ScoreField, new BsonDocument("$meta", "searchScore"))),
        };
        if (filter.ElementCount > 0)
        {
            pipeline.Add(new BsonDocument("$match", filter));
        }

        pipeline.Add(new BsonDocument("$limit", candidates));
        if (projection is not null)
        {
            pipeline.Add(new BsonDocument("$project", projection));
        }

        return pipeline;
    }

    /// <summary>
    /// The <c>$search</c> string of a text query: each keyword a term. Double quotes (phrases) and a leading minus
    /// (negation) are <c>$text</c> syntax, so they are removed: a keyword is only ever a term to look for.
    /// </summary>
    public static string TextSearchString(IEnumerable<string> keywords)
        => string.Join(' ', keywords
            .Select(k => k.Replace("\"", " ", StringComparison.Ordinal))
            .SelectMany(k => k.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(k => k.TrimStart('-'))
            .Where(k => k.Length > 0));

    /// <summary>The change-stream pipeline: the four operations on documents, as typed events report them.</summary>
    public static BsonDocument[] ChangeStream()
        =>
        [
            new("$match", new BsonDocument("operationType", new BsonDocument("$in", new BsonArray { "insert", "update", "replace", "delete" }))),
        ];

    private static void AddThreshold(List<BsonDocument> pipeline, double? scoreThreshold, bool higherIsCloser)
    {
        if (scoreThreshold is { } threshold)
        {
            pipeline.Add(new BsonDocument("$match", new BsonDocument(MongoNames.ScoreField, new BsonDocument(higherIsCloser ? "$gte" : "$lte", threshold))));
        }
    }

    private static void AddPage(List<BsonDocument> pipeline, int top, int skip, BsonDocument? projection)
    {
        if (skip > 0)
        {
            pipeline.Add(new BsonDocument("$skip", skip));
        }

        pipeline.Add(new BsonDocument("$limit", top));
        if (projection is not null)
        {
            pipeline.Add(new BsonDocument("$project", projection));
        }
    }
}
