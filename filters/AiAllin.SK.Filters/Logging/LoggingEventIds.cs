namespace AiAllin.SK.Filters.Logging;

/// <summary>Event ids of the logging policy (range 5000-5099 of the filters pack).</summary>
internal static class LoggingEventIds
{
    public const int ChatRequestStarting = 9000;
    public const int ChatRequestBody = 9001;
    public const int ChatResponseReceived = 9002;
    public const int ChatResponseBody = 9003;
    public const int ChatFailed = 9004;
    public const int ChatFirstToken = 9005;
    public const int ChatToolCallRequested = 9006;
    public const int ChatCancelled = 9007;
    public const int FunctionInvoking = 9010;
    public const int FunctionArguments = 9011;
    public const int FunctionInvoked = 9012;
    public const int FunctionResultBody = 9013;
    public const int FunctionFailed = 9014;
    public const int PromptRendered = 9015;
    public const int PromptBody = 9016;
    public const int ToolInvoking = 9020;
    public const int ToolArguments = 9021;
    public const int ToolInvoked = 9022;
    public const int ToolResultBody = 9023;
    public const int ToolFailed = 9024;
}
