using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Gemini.Tests.Conformance;

// Gemini sends function-call arguments as a parsed object (never text that could be malformed), so the suite's
// malformed-argument tests do not apply; ids travel in functionCall.id and come back in functionResponse.id.
public sealed class GeminiChatConformanceTests : ChatClientConformance<GeminiWireServer>
{
    protected override bool ToolArgumentsAreText => false;

    protected override IChatClient CreateChatClient(ILoggerFactory loggerFactory, int maxRetries) =>
        new GeminiChatClient(new GeminiOptions { Endpoint = Server.BaseAddress, ApiKey = ApiKey, Model = Model, MaxRetries = maxRetries }, loggerFactory);

    protected override void AddChatClient(IKernelBuilder builder) => builder.AddGeminiChatClient(o =>
    {
        o.Endpoint = Server.BaseAddress;
        o.ApiKey = ApiKey;
        o.Model = Model;
    });
}
