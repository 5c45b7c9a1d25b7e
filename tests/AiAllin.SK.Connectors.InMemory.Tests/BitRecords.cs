using System.Collections;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class BitRecord
{
    [VectorStoreKey]
    public int Id { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public string Group { get; set; } = string.Empty;

    [VectorStoreVector(BitPatterns.Length, DistanceFunction = DistanceFunction.HammingDistance)]
    public BitArray? Bits { get; set; }
}

public sealed class BinaryEmbeddingRecord
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreVector(BitPatterns.Length, DistanceFunction = InMemoryDistanceFunction.JaccardSimilarity)]
    public BinaryEmbedding? Embedding { get; set; }
}

public sealed class BitTextRecord
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreVector(LetterBitsGenerator.Dimensions, DistanceFunction = DistanceFunction.HammingDistance)]
    public string? Text { get; set; }
}

/// <summary>Builds the bit vectors of the tests from strings of '0' and '1', bit 0 first.</summary>
internal static class BitPatterns
{
    public const int Length = 70;

    public static BitArray Of(string pattern) => new(pattern.PadRight(Length, '0').Select(c => c == '1').ToArray());

    public static string Pattern(BitArray bits) => string.Concat(bits.Cast<bool>().Select(b => b ? '1' : '0'));
}
