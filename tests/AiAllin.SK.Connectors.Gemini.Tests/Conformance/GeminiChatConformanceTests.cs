using AiAllin.SK.Testing.Conditional;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Gemini.Tests.Conformance;

// Ids travel in functionCall.id and come back in functionResponse.id.
[ConformanceNotApplicable(nameof(Streaming_InvalidToolArguments_AreReportedNotReplacedByEmptyArguments), ArgumentsAreObjects)]
[ConformanceNotApplicable(nameof(GetResponse_InvalidToolArguments_AreReportedNotReplacedByEmptyArguments), ArgumentsAreObjects)]
public sealed class GeminiChatConformanceTests : ChatClientConformance<GeminiWireServer>
{
    private const string ArgumentsAreObjects = "Gemini sends function-call arguments as a parsed JSON object (functionCall.args), never as text that could be malformed.";

    protected override IChatClient CreateChatClient(ILoggerFactory loggerFactory, int maxRetries) =>
        new GeminiChatClient(new GeminiOptions { Endpoint = Server.BaseAddress, ApiKey = ApiKey, Model = Model, MaxRetries = maxRetries }, loggerFactory);

    protected override void AddChatClient(IKernelBuilder builder) => builder.AddGeminiChatClient(o =>
    {
        o.Endpoint = Server.BaseAddress;
        o.ApiKey = ApiKey;
        o.Model = Model;
    });
}
