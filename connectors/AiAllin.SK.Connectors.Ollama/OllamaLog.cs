using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Ollama;

/// <summary>Source-generated log messages of the Ollama connector; none carries a header, a key or message text.</summary>
internal static partial class OllamaLog
{
    [LoggerMessage(EventId = AiAllinEventIds.ProviderRequestStarting, Level = LogLevel.Debug, Message = "Ollama request to model {Model} starting (stream: {Stream}, {MessageCount} messages, {ToolCount} tools).")]
    public static partial void RequestStarting(ILogger logger, string model, bool stream, int messageCount, int toolCount);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderResponseReceived, Level = LogLevel.Debug, Message = "Ollama response from model {Model}: finish reason {FinishReason}, {InputTokens} input and {OutputTokens} output tokens.")]
    public static partial void ResponseReceived(ILogger logger, string? model, string? finishReason, long? inputTokens, long? outputTokens);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderRequestFailed, Level = LogLevel.Warning, Message = "Ollama request to model {Model} failed with status {StatusCode}: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string model, int? statusCode, string reason);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderRetryScheduled, Level = LogLevel.Information, Message = "Ollama has no model {Model}; pulling it, then sending the request again.")]
    public static partial void PullingModel(ILogger logger, string model);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderStreamStarted, Level = LogLevel.Debug, Message = "Ollama stream from model {Model} started.")]
    public static partial void StreamStarted(ILogger logger, string model);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderStreamCompleted, Level = LogLevel.Debug, Message = "Ollama stream from model {Model} completed after {Updates} updates.")]
    public static partial void StreamCompleted(ILogger logger, string model, int updates);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderStreamError, Level = LogLevel.Warning, Message = "Ollama stream from model {Model} failed after {Updates} updates: {Reason}")]
    public static partial void StreamFailed(ILogger logger, string model, int updates, string reason);

    [LoggerMessage(EventId = AiAllinEventIds.EmbeddingsGenerated, Level = LogLevel.Debug, Message = "Ollama model {Model} embedded {Count} inputs ({InputTokens} tokens).")]
    public static partial void EmbeddingsGenerated(ILogger logger, string model, int count, long? inputTokens);
}
