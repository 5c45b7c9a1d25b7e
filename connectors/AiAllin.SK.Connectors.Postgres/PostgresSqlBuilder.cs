using System.Globalization;
using Microsoft.Extensions.VectorData.ProviderServices;
using Npgsql;
using NpgsqlTypes;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// The SQL text of a collection's reads. Names come from validated, quoted columns; every value, including the limits,
/// is a parameter appended to the caller's list, after those the filter translation already added.
/// </summary>
internal sealed class PostgresSqlBuilder
{
    /// <summary>The constant k of reciprocal-rank fusion, 1 / (k + rank).</summary>
    private const double RrfK = 60;

    private readonly PostgresColumn _key;
    private readonly PostgresColumn[] _data;
    private readonly PostgresColumn[] _vectors;
    private readonly string _selectWithVectors;
    private readonly string _selectWithoutVectors;
    private readonly string _rawColumns;
    private readonly string _textSearchConfiguration;

    public PostgresSqlBuilder(
        string table, PostgresColumn key, IEnumerable<PostgresColumn> data, IEnumerable<PostgresColumn> vectors, bool expires, string textSearchConfiguration)
    {
        Table = table;
        _key = key;
        _data = [.. data];
        _vectors = [.. vectors];
        _textSearchConfiguration = textSearchConfiguration;
        Visible = expires ? $" AND ({PostgresSchema.ExpiresAt} IS NULL OR {PostgresSchema.ExpiresAt} > now())" : string.Empty;
        _selectWithoutVectors = _key.Quoted + string.Concat(_data.Select(c => ", " + c.SelectExpression));
        _selectWithVectors = _selectWithoutVectors + string.Concat(_vectors.Select(c => ", " + c.SelectExpression));
        _rawColumns = string.Join(", ", new[] { _key }.Concat(_data).Concat(_vectors).Select(c => c.Quoted));
    }

    /// <summary>Gets the quoted, schema-qualified table.</summary>
    public string Table { get; }

    /// <summary>Gets the condition (with a leading <c>AND</c>, or empty) that hides expired rows.</summary>
    public string Visible { get; }

    /// <summary>The select list: key, data columns, then vector columns when asked for, in the order rows are read.</summary>
    public string SelectList(bool includeVectors, string prefix = "")
        => prefix.Length == 0
            ? includeVectors ? _selectWithVectors : _selectWithoutVectors
            : string.Join(", ", new[] { _key }.Concat(_data).Concat(includeVectors ? _vectors : []).Select(c => c.Selection(prefix)));

    public string GetByKey(bool includeVectors) => $"SELECT {SelectList(includeVectors)} FROM {Table} WHERE {_key.Quoted} = $1{Visible}";

    public string GetByKeys(bool includeVectors) => $"SELECT {SelectList(includeVectors)} FROM {Table} WHERE {_key.Quoted} = ANY($1){Visible}";

    /// <summary>A filtered page; a page after the first or an ordered one is made stable by the key.</summary>
    public string GetWhere(
        bool includeVectors, string filter, IReadOnlyList<(PostgresColumn Column, bool Ascending)> orderBy, List<NpgsqlParameter> parameters, int top, int skip)
    {
        var order = orderBy
            .Select(o => $"{o.Column.Quoted}{(o.Column.SqlType == "text" ? " COLLATE \"C\"" : string.Empty)} {(o.Ascending ? "ASC NULLS FIRST" : "DESC NULLS LAST")}")
            .ToList();
        if (skip > 0 || order.Count > 0)
        {
            order.Add(_key.Quoted);
        }

        var (limit, offset) = Page(parameters, top, skip);
        return $"SELECT {SelectList(includeVectors)} FROM {Table} WHERE {filter}{Visible}"
            + (order.Count > 0 ? " ORDER BY " + string.Join(", ", order) : string.Empty)
            + $" LIMIT {limit} OFFSET {offset}";
    }

    /// <summary>
    /// A nearest-neighbour page; the query vector is parameter <c>$1</c>. With <c>exactScan</c> the rows are ordered by an
    /// expression no index serves, so the planner scans every row. A column with a quantized index takes
    /// <paramref name="oversampling"/> candidates per result from that index, ordered by its expression, and re-ranks them
    /// exactly on the full vectors in the same statement; with <paramref name="reorder"/> (an iterative scan in relaxed
    /// order) the first rows the index returns are sorted again the same way.
    /// </summary>
    public string Search(
        bool includeVectors,
        PostgresColumn column,
        string cast,
        string? filter,
        double? scoreThreshold,
        bool exactScan,
        int oversampling,
        bool reorder,
        List<NpgsqlParameter> parameters,
        int top,
        int skip)
    {
        var distanceFunction = PostgresIndexes.DistanceFunctionOf((VectorPropertyModel)column.Property);
        var quantized = column.Quantization != PostgresVectorQuantization.None && !exactScan;
        reorder = reorder && !exactScan;
        var prefix = quantized || reorder ? "c." : string.Empty;
        var distance = $"({prefix}{column.Quoted} {PostgresIndexes.Operator(distanceFunction)} $1{cast})";
        var score = PostgresIndexes.Score(distanceFunction, distance);

        // A record without a vector (no text to embed) has no score, and no place in a vector ranking.
        var where = (filter ?? "TRUE") + Visible + $" AND {column.Quoted} IS NOT NULL";
        var threshold = string.Empty;
        if (scoreThreshold is { } value)
        {
            parameters.Add(new NpgsqlParameter { Value = value });
            threshold = $"{score} {(PostgresIndexes.HigherIsCloser(distanceFunction) ? ">=" : "<=")} ${parameters.Count}";
        }

        // An iterative index scan in relaxed order (pgvector's advice for filtered searches: fuller, faster) may return
        // rows slightly out of order, so its first top + skip rows are sorted again, as are a quantized index's candidates.
        if (quantized || reorder)
        {
            var candidates = Add(parameters, (long)Math.Min(int.MaxValue, (long)(top + skip) * (quantized ? oversampling : 1)));
            var (pageLimit, pageOffset) = Page(parameters, top, skip);
            var candidateOrder = quantized ? PostgresIndexes.QuantizedQuery(column) : $"({column.Quoted} {PostgresIndexes.Operator(distanceFunction)} $1{cast})";
            return $"SELECT {SelectList(includeVectors, prefix)}, {score} FROM ("
                + $"SELECT {_rawColumns} FROM {Table} WHERE {where} ORDER BY {candidateOrder} LIMIT {candidates}) AS c"
                + (threshold.Length > 0 ? " WHERE " + threshold : string.Empty)
                + $" ORDER BY {distance}, c.{_key.Quoted} LIMIT {pageLimit} OFFSET {pageOffset}";
        }

        if (threshold.Length > 0)
        {
            where += " AND " + threshold;
        }

        var (limit, offset) = Page(parameters, top, skip);
        var orderBy = exactScan ? $"{distance} + 0" : distance;
        return $"SELECT {SelectList(includeVectors)}, {score} FROM {Table} WHERE {where} ORDER BY {orderBy} LIMIT {limit} OFFSET {offset}";
    }

    /// <summary>
    /// Vector and full-text rankings of <paramref name="candidates"/> rows each, fused by weighted reciprocal rank in one
    /// statement; the query vector is parameter <c>$1</c>.
    /// </summary>
    public string HybridSearch(
        bool includeVectors,
        PostgresColumn column,
        string cast,
        string tsVectorColumn,
        string? filter,
        double? scoreThreshold,
        IEnumerable<string> keywords,
        int candidates,
        (double Vector, double Keyword) weights,
        List<NpgsqlParameter> parameters,
        int top,
        int skip)
    {
        var distanceFunction = PostgresIndexes.DistanceFunctionOf((VectorPropertyModel)column.Property);
        var distance = $"({column.Quoted} {PostgresIndexes.Operator(distanceFunction)} $1{cast})";
        var where = (filter ?? "TRUE") + Visible;
        if (scoreThreshold is { } threshold)
        {
            parameters.Add(new NpgsqlParameter { Value = threshold });
            where += $" AND {PostgresIndexes.Score(distanceFunction, distance)} {(PostgresIndexes.HigherIsCloser(distanceFunction) ? ">=" : "<=")} ${parameters.Count}";
        }

        var configuration = $"'{_textSearchConfiguration}'::regconfig";
        var terms = keywords.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        var query = terms.Count == 0 ? "NULL::tsquery" : string.Join(" || ", terms.Select(term =>
        {
            parameters.Add(new NpgsqlParameter { Value = term, NpgsqlDbType = NpgsqlDbType.Text });
            return $"plainto_tsquery({configuration}, ${parameters.Count})";
        }));

        var candidatesParameter = Add(parameters, (long)candidates);
        var vectorWeight = Add(parameters, weights.Vector);
        var keywordWeight = Add(parameters, weights.Keyword);
        var (limit, offset) = Page(parameters, top, skip);
        var k = RrfK.ToString(CultureInfo.InvariantCulture);
        var tsv = tsVectorColumn;
        return $"""
            WITH vector_hits AS (
                SELECT key, rank() OVER (ORDER BY distance) AS r FROM (
                    SELECT {_key.Quoted} AS key, {distance} AS distance FROM {Table} WHERE {where}
                    ORDER BY {distance} LIMIT {candidatesParameter}) AS v),
            text_hits AS (
                SELECT key, rank() OVER (ORDER BY relevance DESC) AS r FROM (
                    SELECT {_key.Quoted} AS key, ts_rank_cd({tsv}, q) AS relevance FROM {Table}, (SELECT {query} AS q) AS query
                    WHERE {tsv} @@ q AND {where}
                    ORDER BY relevance DESC LIMIT {candidatesParameter}) AS t),
            fused AS (
                SELECT coalesce(v.key, t.key) AS key,
                       coalesce({vectorWeight} / ({k} + v.r), 0) + coalesce({keywordWeight} / ({k} + t.r), 0) AS score,
                       v.r AS vector_rank
                FROM vector_hits AS v FULL JOIN text_hits AS t ON v.key = t.key)
            SELECT {SelectList(includeVectors, "c.")}, fused.score FROM fused JOIN {Table} AS c ON c.{_key.Quoted} = fused.key
            ORDER BY fused.score DESC, fused.vector_rank NULLS LAST, fused.key
            LIMIT {limit} OFFSET {offset}
            """;
    }

    private static string Add(List<NpgsqlParameter> parameters, object value)
    {
        parameters.Add(new NpgsqlParameter { Value = value });
        return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
    }

    private static (string Limit, string Offset) Page(List<NpgsqlParameter> parameters, int top, int skip)
        => (Add(parameters, (long)top), Add(parameters, (long)skip));
}
