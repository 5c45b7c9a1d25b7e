using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Cohere.Tests.Conformance;

// Cohere's error bodies carry only a message ({"id", "message"}), and its chat response names no model.
public sealed class CohereChatConformanceTests : ChatClientConformance<CohereWireServer>
{
    protected override bool ErrorBodiesCarryCode => false;

    protected override bool ReportsModelId => false;

    protected override IChatClient CreateChatClient(ILoggerFactory loggerFactory, int maxRetries) =>
        new CohereChatClient(new CohereOptions { Endpoint = Server.BaseAddress, ApiKey = ApiKey, Model = Model, MaxRetries = maxRetries }, loggerFactory);

    protected override void AddChatClient(IKernelBuilder builder) => builder.AddCohereChatClient(o =>
    {
        o.Endpoint = Server.BaseAddress;
        o.ApiKey = ApiKey;
        o.Model = Model;
    });
}
