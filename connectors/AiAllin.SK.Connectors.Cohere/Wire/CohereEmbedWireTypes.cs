namespace AiAllin.SK.Connectors.Cohere.Wire;

// /v2/embed and /v2/rerank as Cohere's API reference documents them. Unsigned vectors are read as int[] because
// System.Text.Json reads byte[] as base64, not as a number array.

internal sealed class CohereEmbedRequest
{
    public required string Model { get; init; }

    public required IReadOnlyList<string> Texts { get; init; }

    public required string InputType { get; init; }

    public required IReadOnlyList<string> EmbeddingTypes { get; init; }

    public string? Truncate { get; set; }

    public int? OutputDimension { get; set; }
}

internal sealed class CohereEmbedResponse
{
    public string? Id { get; set; }

    public CohereEmbeddingsByType? Embeddings { get; set; }

    public CohereApiMeta? Meta { get; set; }
}

internal sealed class CohereEmbeddingsByType
{
    public List<float[]>? Float { get; set; }

    public List<sbyte[]>? Int8 { get; set; }

    public List<int[]>? Uint8 { get; set; }

    public List<sbyte[]>? Binary { get; set; }

    public List<int[]>? Ubinary { get; set; }
}

internal sealed class CohereApiMeta
{
    public CohereTokenCounts? BilledUnits { get; set; }
}

internal sealed class CohereRerankRequest
{
    public required string Model { get; init; }

    public required string Query { get; init; }

    public required IReadOnlyList<string> Documents { get; init; }

    public int? TopN { get; set; }

    public int? MaxTokensPerDoc { get; set; }
}

internal sealed class CohereRerankResponse
{
    public string? Id { get; set; }

    public List<CohereRerankResult>? Results { get; set; }

    public CohereApiMeta? Meta { get; set; }
}

internal sealed class CohereRerankResult
{
    public int Index { get; set; }

    public double RelevanceScore { get; set; }
}
