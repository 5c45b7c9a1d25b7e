namespace AiAllin.SK.Filters.Logging;

/// <summary>Event ids of the logging policy (range 5000-5099 of the filters pack).</summary>
internal static class LoggingEventIds
{
    public const int ChatRequestStarting = 5000;
    public const int ChatRequestBody = 5001;
    public const int ChatResponseReceived = 5002;
    public const int ChatResponseBody = 5003;
    public const int ChatFailed = 5004;
    public const int ChatFirstToken = 5005;
    public const int ChatToolCallRequested = 5006;
    public const int ChatCancelled = 5007;
    public const int FunctionInvoking = 5010;
    public const int FunctionArguments = 5011;
    public const int FunctionInvoked = 5012;
    public const int FunctionResultBody = 5013;
    public const int FunctionFailed = 5014;
    public const int PromptRendered = 5015;
    public const int PromptBody = 5016;
    public const int ToolInvoking = 5020;
    public const int ToolArguments = 5021;
    public const int ToolInvoked = 5022;
    public const int ToolResultBody = 5023;
    public const int ToolFailed = 5024;
}
