namespace AiAllin.SK.Filters.Metrics;

/// <summary>
/// The one table of telemetry names of the metrics policy: the OpenTelemetry GenAI semantic-convention names exactly
/// as Microsoft.Extensions.AI's <c>OpenTelemetryChatClient</c> (10.11) applies them, and this package's own
/// measurements under <c>aiallin.</c>, so nothing is invented under <c>gen_ai.</c>.
/// </summary>
internal static class GenAiNames
{
    public const string OperationDuration = "gen_ai.client.operation.duration";
    public const string TokenUsage = "gen_ai.client.token.usage";
    public const string TimeToFirstChunk = "gen_ai.client.operation.time_to_first_chunk";
    public const string TimePerOutputChunk = "gen_ai.client.operation.time_per_output_chunk";
    public const string TimePerOutputToken = "aiallin.client.time_per_output_token";
    public const string OutputTokensPerSecond = "aiallin.client.output_tokens_per_second";
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
    public const string RequestStream = "gen_ai.request.stream";
    public const string ResponseTimeToFirstChunk = "gen_ai.response.time_to_first_chunk";
    public const string FunctionName = "semantic_kernel.function.name";
    public const string PluginName = "semantic_kernel.plugin.name";
    public const string Streaming = "aiallin.streaming";

    public const string Chat = "chat";
    public const string ExecuteTool = "execute_tool";
    public const string Input = "input";
    public const string Output = "output";

    /// <summary>The bucket boundaries the conventions advise for durations (operation, first chunk, per chunk).</summary>
    public static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    /// <summary>The bucket boundaries the conventions advise for token counts.</summary>
    public static readonly int[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
}
