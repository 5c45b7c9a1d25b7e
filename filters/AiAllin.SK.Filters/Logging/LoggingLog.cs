using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters.Logging;

/// <summary>The source-generated log messages of the logging policy.</summary>
internal static partial class LoggingLog
{
    [LoggerMessage(EventId = AiAllinEventIds.ChatRequestStarting, Level = LogLevel.Debug,
        Message = "Chat {Operation} to {Model}: {MessageCount} messages, {PromptCharacters} characters, {ToolCount} tools")]
    public static partial void ChatRequestStarting(ILogger logger, string operation, string model, int messageCount, int promptCharacters, int toolCount);

    [LoggerMessage(EventId = AiAllinEventIds.ChatRequestBody, Level = LogLevel.Information, Message = "Chat request to {Model}: {Body}")]
    public static partial void ChatRequestBody(ILogger logger, string model, string body);

    [LoggerMessage(EventId = AiAllinEventIds.ChatResponseReceived, Level = LogLevel.Information,
        Message = "Chat {Operation} to {Model} answered by {ResponseModel} in {DurationMs} ms: finish {FinishReason}, input tokens {InputTokens}, output tokens {OutputTokens}, {UpdateCount} updates")]
    public static partial void ChatResponseReceived(
        ILogger logger, string operation, string model, string responseModel, double durationMs, string finishReason, long? inputTokens, long? outputTokens, int updateCount);

    [LoggerMessage(EventId = AiAllinEventIds.ChatResponseBody, Level = LogLevel.Information, Message = "Chat response from {Model}: {Body}")]
    public static partial void ChatResponseBody(ILogger logger, string model, string body);

    [LoggerMessage(EventId = AiAllinEventIds.ChatFailed, Level = LogLevel.Warning,
        Message = "Chat {Operation} to {Model} failed after {DurationMs} ms with {ErrorType}: {ErrorMessage}")]
    public static partial void ChatFailed(ILogger logger, string operation, string model, double durationMs, string errorType, string errorMessage);

    [LoggerMessage(EventId = AiAllinEventIds.ChatFirstToken, Level = LogLevel.Debug, Message = "Chat stream from {Model}: first update after {DurationMs} ms")]
    public static partial void ChatFirstToken(ILogger logger, string model, double durationMs);

    [LoggerMessage(EventId = AiAllinEventIds.ChatToolCallRequested, Level = LogLevel.Information,
        Message = "Model {Model} asked for tool {ToolName} (call {CallId}) with arguments {Arguments}")]
    public static partial void ChatToolCallRequested(ILogger logger, string model, string toolName, string callId, string arguments);

    [LoggerMessage(EventId = AiAllinEventIds.ChatCancelled, Level = LogLevel.Information, Message = "Chat {Operation} to {Model} cancelled by the caller after {DurationMs} ms")]
    public static partial void ChatCancelled(ILogger logger, string operation, string model, double durationMs);

    [LoggerMessage(EventId = AiAllinEventIds.FunctionInvoking, Level = LogLevel.Debug, Message = "Function {Plugin}.{Function} invoking (streaming: {Streaming})")]
    public static partial void FunctionInvoking(ILogger logger, string plugin, string function, bool streaming);

    [LoggerMessage(EventId = AiAllinEventIds.FunctionArguments, Level = LogLevel.Information, Message = "Function {Plugin}.{Function} arguments: {Arguments}")]
    public static partial void FunctionArguments(ILogger logger, string plugin, string function, string arguments);

    [LoggerMessage(EventId = AiAllinEventIds.FunctionInvoked, Level = LogLevel.Information,
        Message = "Function {Plugin}.{Function} completed in {DurationMs} ms (streaming: {Streaming}, chunks: {ChunkCount})")]
    public static partial void FunctionInvoked(ILogger logger, string plugin, string function, double durationMs, bool streaming, int chunkCount);

    [LoggerMessage(EventId = AiAllinEventIds.FunctionResultBody, Level = LogLevel.Information, Message = "Function {Plugin}.{Function} result: {Result}")]
    public static partial void FunctionResultBody(ILogger logger, string plugin, string function, string result);

    [LoggerMessage(EventId = AiAllinEventIds.FunctionFailed, Level = LogLevel.Warning,
        Message = "Function {Plugin}.{Function} failed after {DurationMs} ms with {ErrorType}: {ErrorMessage}")]
    public static partial void FunctionFailed(ILogger logger, string plugin, string function, double durationMs, string errorType, string errorMessage);

    [LoggerMessage(EventId = AiAllinEventIds.PromptRendered, Level = LogLevel.Debug, Message = "Prompt of {Plugin}.{Function} rendered: {Characters} characters")]
    public static partial void PromptRendered(ILogger logger, string plugin, string function, int characters);

    [LoggerMessage(EventId = AiAllinEventIds.PromptBody, Level = LogLevel.Information, Message = "Prompt of {Plugin}.{Function}: {Prompt}")]
    public static partial void PromptBody(ILogger logger, string plugin, string function, string prompt);

    [LoggerMessage(EventId = AiAllinEventIds.ToolInvoking, Level = LogLevel.Information,
        Message = "Tool call {Plugin}.{Function} (call {CallId}, request {RequestIndex}, function {FunctionIndex}) invoking")]
    public static partial void ToolInvoking(ILogger logger, string plugin, string function, string callId, int requestIndex, int functionIndex);

    [LoggerMessage(EventId = AiAllinEventIds.ToolArguments, Level = LogLevel.Information, Message = "Tool call {Plugin}.{Function} arguments: {Arguments}")]
    public static partial void ToolArguments(ILogger logger, string plugin, string function, string arguments);

    [LoggerMessage(EventId = AiAllinEventIds.ToolInvoked, Level = LogLevel.Information, Message = "Tool call {Plugin}.{Function} completed in {DurationMs} ms (terminate: {Terminate})")]
    public static partial void ToolInvoked(ILogger logger, string plugin, string function, double durationMs, bool terminate);

    [LoggerMessage(EventId = AiAllinEventIds.ToolResultBody, Level = LogLevel.Information, Message = "Tool call {Plugin}.{Function} result: {Result}")]
    public static partial void ToolResultBody(ILogger logger, string plugin, string function, string result);

    [LoggerMessage(EventId = AiAllinEventIds.ToolFailed, Level = LogLevel.Warning,
        Message = "Tool call {Plugin}.{Function} failed after {DurationMs} ms with {ErrorType}: {ErrorMessage}")]
    public static partial void ToolFailed(ILogger logger, string plugin, string function, double durationMs, string errorType, string errorMessage);
}
