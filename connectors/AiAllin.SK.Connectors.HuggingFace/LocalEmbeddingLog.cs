using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.HuggingFace;

internal static partial class LocalEmbeddingLog
{
    [LoggerMessage(
        EventId = AiAllinEventIds.EmbeddingModelLoaded,
        Level = LogLevel.Information,
        Message = "Loaded embedding model {ModelId} ({Dimensions} dimensions) from {Source} in {ElapsedMilliseconds:F0} ms")]
    public static partial void ModelLoaded(ILogger logger, string modelId, int dimensions, string source, double elapsedMilliseconds);

    [LoggerMessage(
        EventId = AiAllinEventIds.EmbeddingsGenerated,
        Level = LogLevel.Debug,
        Message = "Generated {Count} embeddings ({TokenCount} tokens) with {ModelId} in {ElapsedMilliseconds:F1} ms")]
    public static partial void EmbeddingsGenerated(ILogger logger, int count, long tokenCount, string modelId, double elapsedMilliseconds);
}
