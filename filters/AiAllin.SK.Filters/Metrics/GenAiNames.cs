namespace AiAllin.SK.Filters.Metrics;

/// <summary>OpenTelemetry GenAI semantic-convention names used by the metrics policy.</summary>
internal static class GenAiNames
{
    public const string OperationDuration = "gen_ai.client.operation.duration";
    public const string TokenUsage = "gen_ai.client.token.usage";
    public const string TimeToFirstToken = "gen_ai.server.time_to_first_token";
    public const string TimePerOutputToken = "gen_ai.server.time_per_output_token";
    public const string OutputTokensPerSecond = "gen_ai.client.output_tokens_per_second";
    public const string FunctionDuration = "aiallin.sk.function.invocation.duration";

    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string TokenType = "gen_ai.token.type";
    public const string ErrorType = "error.type";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ToolName = "gen_ai.tool.name";
    public const string ToolCallId = "gen_ai.tool.call.id";
    public const string UsageInputTokens = "gen_ai.usage.input_tokens";
    public const string UsageOutputTokens = "gen_ai.usage.output_tokens";
    public const string FinishReasons = "gen_ai.response.finish_reasons";
    public const string ResponseId = "gen_ai.response.id";
    public const string FunctionName = "semantic_kernel.function.name";
    public const string PluginName = "semantic_kernel.plugin.name";
    public const string Streaming = "aiallin.streaming";

    public const string Chat = "chat";
    public const string ExecuteTool = "execute_tool";
    public const string Input = "input";
    public const string Output = "output";
}
