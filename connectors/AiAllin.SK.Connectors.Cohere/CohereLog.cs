using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>Source-generated log messages of the Cohere connector; none carries a header, a key or message text.</summary>
internal static partial class CohereLog
{
    [LoggerMessage(EventId = AiAllinEventIds.ProviderRequestStarting, Level = LogLevel.Debug, Message = "Cohere request to model {Model} starting (stream: {Stream}, {MessageCount} messages, {ToolCount} tools, {DocumentCount} documents).")]
    public static partial void RequestStarting(ILogger logger, string model, bool stream, int messageCount, int toolCount, int documentCount);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderResponseReceived, Level = LogLevel.Debug, Message = "Cohere response from model {Model}: finish reason {FinishReason}, {InputTokens} input and {OutputTokens} output tokens.")]
    public static partial void ResponseReceived(ILogger logger, string? model, string? finishReason, long? inputTokens, long? outputTokens);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderRequestFailed, Level = LogLevel.Warning, Message = "Cohere request to model {Model} failed with status {StatusCode}: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string model, int? statusCode, string reason);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderStreamStarted, Level = LogLevel.Debug, Message = "Cohere stream from model {Model} started.")]
    public static partial void StreamStarted(ILogger logger, string model);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderStreamCompleted, Level = LogLevel.Debug, Message = "Cohere stream from model {Model} completed after {Updates} updates.")]
    public static partial void StreamCompleted(ILogger logger, string model, int updates);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderStreamError, Level = LogLevel.Warning, Message = "Cohere stream from model {Model} failed after {Updates} updates: {Reason}")]
    public static partial void StreamFailed(ILogger logger, string model, int updates, string reason);

    [LoggerMessage(EventId = AiAllinEventIds.EmbeddingsGenerated, Level = LogLevel.Debug, Message = "Cohere model {Model} embedded {Count} inputs in {Requests} requests ({InputTokens} tokens).")]
    public static partial void EmbeddingsGenerated(ILogger logger, string model, int count, int requests, long? inputTokens);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderResponseReceived, Level = LogLevel.Debug, Message = "Cohere model {Model} reranked {Count} documents in {Requests} requests.")]
    public static partial void Reranked(ILogger logger, string model, int count, int requests);
}
