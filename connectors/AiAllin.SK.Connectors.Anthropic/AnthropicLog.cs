using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>Source-generated log messages of the Anthropic connector; none carries the key or message content.</summary>
internal static partial class AnthropicLog
{
    [LoggerMessage(EventId = AiAllinEventIds.ProviderRequestStarting, Level = LogLevel.Debug, Message = "Anthropic request to {Model} starting (streaming: {Streaming}, tools: {ToolCount}).")]
    public static partial void RequestStarting(ILogger logger, string? model, bool streaming, int toolCount);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderResponseReceived, Level = LogLevel.Debug, Message = "Anthropic response from {Model}: finish {FinishReason}, input tokens {InputTokens}, output tokens {OutputTokens}.")]
    public static partial void ResponseReceived(ILogger logger, string? model, string? finishReason, long? inputTokens, long? outputTokens);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderRequestFailed, Level = LogLevel.Warning, Message = "Anthropic request failed: {Error}")]
    public static partial void RequestFailed(ILogger logger, string error);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderStreamCompleted, Level = LogLevel.Debug, Message = "Anthropic stream from {Model} completed after {UpdateCount} updates.")]
    public static partial void StreamCompleted(ILogger logger, string? model, int updateCount);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderStreamError, Level = LogLevel.Warning, Message = "Anthropic stream failed after {UpdateCount} updates: {Error}")]
    public static partial void StreamFailed(ILogger logger, int updateCount, string error);
}
