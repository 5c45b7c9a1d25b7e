using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel.Data;

namespace AiAllin.SK.Quickstart;

/// <summary>One paragraph of a help-centre article, as stored in the vector store.</summary>
public sealed class DocChunk
{
    [VectorStoreKey]
    public string Id { get; set; } = "";

    [VectorStoreData(IsIndexed = true)]
    [TextSearchResultName]
    public string Article { get; set; } = "";

    [VectorStoreData(IsFullTextIndexed = true)]
    [TextSearchResultValue]
    public string Text { get; set; } = "";

    /// <summary>The text to embed: the store turns it into a 384-dim vector with the registered generator.</summary>
    [VectorStoreVector(384, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public string Embedding => Text;
}
