using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.HuggingFace;

internal static partial class HuggingFaceLog
{
    [LoggerMessage(
        EventId = AiAllinEventIds.EmbeddingsGenerated,
        Level = LogLevel.Debug,
        Message = "{Provider} generated {Count} embeddings with {ModelId} in {Requests} requests")]
    public static partial void EmbeddingsGenerated(ILogger logger, string provider, int count, string? modelId, int requests);

    [LoggerMessage(
        EventId = AiAllinEventIds.ProviderResponseReceived,
        Level = LogLevel.Debug,
        Message = "{Provider} reranked {Count} documents with {ModelId} in {Requests} requests")]
    public static partial void Reranked(ILogger logger, string provider, int count, string? modelId, int requests);

    [LoggerMessage(
        EventId = AiAllinEventIds.ProviderRetryScheduled,
        Level = LogLevel.Warning,
        Message = "{Provider} refused a batch of {Sent} texts and allows {Allowed}; the rest is sent in batches of {Allowed}. Set MaxBatchSize (or ReadServerInfo) to match the server.")]
    public static partial void BatchSizeLowered(ILogger logger, string provider, int sent, int allowed);

    [LoggerMessage(
        EventId = AiAllinEventIds.ProviderRequestFailed,
        Level = LogLevel.Warning,
        Message = "{Provider} {Operation} failed with status {StatusCode}: {Message}")]
    public static partial void RequestFailed(ILogger logger, string provider, string operation, int? statusCode, string message);
}
